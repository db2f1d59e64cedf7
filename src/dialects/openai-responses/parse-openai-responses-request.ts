import { GatewayError, type CanonicalRequest, type ReasoningOptions, type Warning, isRecord } from '../../core/index.js';
import { openAIResponsesRequestSchema, type OpenAIResponsesRequest } from '../../wire/openai-responses/openai-responses-request-schema.js';
import { zodErrorToGatewayError } from '../openai-chat/zod-error-to-gateway-error.js';
import { convertResponsesInput } from './convert-responses-input.js';
import { convertResponsesTextFormat, convertResponsesToolChoice, convertResponsesTools } from './convert-responses-tools.js';

/** Fields whose meaning needs server-side state or features the gateway does not have: refused rather than ignored. */
const STATEFUL_FIELDS = ['previous_response_id', 'conversation', 'prompt'] as const;

function toReasoning(effort: NonNullable<NonNullable<OpenAIResponsesRequest['reasoning']>['effort']>): ReasoningOptions {
  if (effort === 'none') return { enabled: false };
  // The canonical scale tops out at `high`.
  if (effort === 'xhigh') return { effort: 'high' };
  return { effort };
}

function rejectStateful(body: Record<string, unknown>, data: OpenAIResponsesRequest): void {
  for (const field of STATEFUL_FIELDS) {
    if (body[field] != null) {
      throw new GatewayError('unsupported_parameter', `Unsupported parameter: ${field} is not supported (responses are not stored)`, { param: field });
    }
  }
  if (data.background === true) {
    throw new GatewayError('unsupported_parameter', 'Unsupported parameter: background responses are not supported', { param: 'background' });
  }
}

/** Validates an OpenAI Responses body (`POST /v1/responses`) and converts it to the canonical request. */
export function parseOpenAIResponsesRequest(body: unknown): CanonicalRequest {
  const parsed = openAIResponsesRequestSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw zodErrorToGatewayError(parsed.error);
  if (!isRecord(body)) throw new GatewayError('invalid_request', 'Invalid request body: expected a JSON object');
  const data = parsed.data;
  rejectStateful(body, data);
  const warnings: Warning[] = [];
  const input = convertResponsesInput(data.input ?? [], data.instructions ?? undefined);
  warnings.push(...input.warnings);
  if (!input.messages.some((message) => message.role !== 'system')) {
    throw new GatewayError('invalid_request', 'Invalid request: input must contain at least one message or item', { param: 'input' });
  }
  const request: CanonicalRequest = { model: data.model, messages: input.messages, stream: data.stream ?? false };
  if (data.tools) {
    const tools = convertResponsesTools(data.tools, warnings);
    if (tools.length > 0) request.tools = tools;
  }
  if (data.tool_choice != null) {
    const choice = convertResponsesToolChoice(data.tool_choice, request.tools ?? [], warnings);
    if (request.tools) request.toolChoice = choice;
  }
  if (data.parallel_tool_calls != null && request.tools) request.parallelToolCalls = data.parallel_tool_calls;
  const format = data.text?.format;
  if (format != null && format.type !== 'text') request.responseFormat = convertResponsesTextFormat(format);
  if (data.max_output_tokens != null) request.maxOutputTokens = data.max_output_tokens;
  if (data.temperature != null) request.temperature = data.temperature;
  if (data.top_p != null) request.topP = data.top_p;
  const user = data.safety_identifier ?? data.user;
  if (user != null) request.user = user;
  if (data.metadata != null) request.metadata = data.metadata;
  if (data.prompt_cache_key != null && data.prompt_cache_key !== '') request.cacheKey = data.prompt_cache_key;
  if (data.reasoning?.effort != null) request.reasoning = toReasoning(data.reasoning.effort);
  if (warnings.length > 0) request.warnings = warnings;
  return request;
}
