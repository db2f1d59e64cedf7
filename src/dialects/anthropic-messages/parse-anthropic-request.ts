import { GatewayError, type CanonicalRequest, type ReasoningOptions, isRecord } from '../../core/index.js';
import type { ParseContext } from '../dialect.js';
import { anthropicRequestSchema, KNOWN_REQUEST_FIELDS, type AnthropicRequestBody } from '../../wire/anthropic-messages/anthropic-request-schema.js';
import { anthropicVersionOf } from '../../wire/anthropic-messages/anthropic-version.js';
import { toCanonicalMessages } from './convert-anthropic-messages.js';
import { readAnthropicRequest } from './read-anthropic-request.js';
import { toCanonicalToolChoice, toCanonicalTools } from './convert-anthropic-tools.js';
import { toValidationError } from '../shared/to-validation-error.js';

type Mode = 'messages' | 'count-tokens';

const EFFORTS: Readonly<Record<string, ReasoningOptions['effort']>> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
  max: 'high',
};

function toReasoning(body: AnthropicRequestBody, options: Record<string, unknown>): ReasoningOptions | undefined {
  const reasoning: ReasoningOptions = {};
  const { thinking } = body;
  if (thinking?.type === 'enabled') {
    reasoning.enabled = true;
    reasoning.budgetTokens = thinking.budget_tokens;
  } else if (thinking?.type === 'disabled') {
    reasoning.enabled = false;
  } else if (thinking) {
    // adaptive / between_tools have no canonical equivalent beyond "on"; the Anthropic target gets the original.
    reasoning.enabled = true;
    options.thinking = thinking;
  }
  const effort = body.output_config?.effort;
  if (effort) reasoning.effort = EFFORTS[effort];
  return Object.keys(reasoning).length > 0 ? reasoning : undefined;
}

function collectProviderOptions(body: AnthropicRequestBody): Record<string, unknown> {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (KNOWN_REQUEST_FIELDS.has(key)) continue;
    options[key] = value;
  }
  const { output_config: outputConfig } = body;
  if (outputConfig) {
    const rest = Object.fromEntries(Object.entries(outputConfig).filter(([key]) => key !== 'format'));
    if (Object.keys(rest).length > 0) options.output_config = rest;
  }
  return options;
}

function validateWithSchema(raw: Record<string, unknown>): AnthropicRequestBody {
  const parsed = anthropicRequestSchema.safeParse(raw);
  if (!parsed.success) throw toValidationError(parsed.error);
  return parsed.data;
}

function toCanonicalRequest(raw: Record<string, unknown>, context: ParseContext, mode: Mode): CanonicalRequest {
  const body = readAnthropicRequest(raw) ?? validateWithSchema(raw);
  const version = anthropicVersionOf(context.headers);
  if (mode === 'messages' && body.max_tokens === undefined && version === '2023-06-01') {
    throw new GatewayError('invalid_request', 'max_tokens: Field required', { param: 'max_tokens' });
  }

  const request: CanonicalRequest = {
    model: body.model,
    messages: toCanonicalMessages(body.system, body.messages),
    stream: mode === 'messages' && body.stream === true,
    passthrough: { format: 'anthropic-messages', body: raw },
  };
  const beta = context.headers['anthropic-beta'];
  const betas = Array.isArray(beta) ? beta.join(',') : beta;
  if (betas !== undefined && betas !== '' && request.passthrough) request.passthrough.headers = { 'anthropic-beta': betas };
  const providerOptions = collectProviderOptions(body);

  if (body.tools) {
    const { tools, serverTools } = toCanonicalTools(body.tools);
    if (tools.length > 0) request.tools = tools;
    if (serverTools.length > 0) providerOptions.server_tools = serverTools;
  }
  if (body.tool_choice) {
    const { toolChoice, parallelToolCalls } = toCanonicalToolChoice(body.tool_choice);
    request.toolChoice = toolChoice;
    if (parallelToolCalls !== undefined) request.parallelToolCalls = parallelToolCalls;
  }
  if (mode === 'messages' && body.max_tokens !== undefined) request.maxOutputTokens = body.max_tokens;
  if (body.temperature !== undefined) request.temperature = body.temperature;
  if (body.top_p !== undefined) request.topP = body.top_p;
  if (body.top_k !== undefined) request.topK = body.top_k;
  if (body.stop_sequences !== undefined) request.stop = body.stop_sequences;
  const reasoning = toReasoning(body, providerOptions);
  if (reasoning) request.reasoning = reasoning;
  const format = body.output_config?.format ?? body.output_format;
  if (format) request.responseFormat = { type: 'json-schema', name: 'output', schema: format.schema };
  if (typeof body.metadata?.user_id === 'string') request.user = body.metadata.user_id;
  if (Object.keys(providerOptions).length > 0) request.providerOptions = { anthropic: providerOptions };
  return request;
}

function requireObject(body: unknown): Record<string, unknown> {
  if (!isRecord(body)) throw new GatewayError('invalid_request', 'The request body must be a JSON object');
  return body;
}

/**
 * Parses a `POST /v1/messages` body under the API version named by the `anthropic-version` header; throws
 * GatewayError('invalid_request' | 'unsupported_parameter') naming the offending field.
 */
export function parseAnthropicRequest(body: unknown, context: ParseContext): CanonicalRequest {
  return toCanonicalRequest(requireObject(body), context, 'messages');
}

/** Parses a `POST /v1/messages/count_tokens` body (no `max_tokens`, never streamed) into a canonical request. */
export function parseCountTokensRequest(body: unknown, context: ParseContext): CanonicalRequest {
  return toCanonicalRequest(requireObject(body), context, 'count-tokens');
}

/** Renders a token count as `/v1/messages/count_tokens` returns it. */
export function renderCountTokens(inputTokens: number): { input_tokens: number } {
  return { input_tokens: inputTokens };
}
