import { GatewayError, type CanonicalRequest, type ReasoningOptions, type Warning, isRecord } from '../../core/index.js';
import {
  openAIResponsesRequestSchema,
  type OpenAIResponsesRequest,
  type ResponsesInputItem,
} from '../../wire/openai-responses/openai-responses-request-schema.js';
import { zodErrorToGatewayError } from '../openai-chat/zod-error-to-gateway-error.js';
import { convertResponsesInput } from './convert-responses-input.js';
import { convertResponsesTextFormat, convertResponsesToolChoice, convertResponsesTools } from './convert-responses-tools.js';
import { readOpenAIResponsesRequest, readResponsesInputItems } from './read-openai-responses-request.js';

/** Fields whose meaning needs server-side state or features the gateway does not have: refused rather than ignored. */
const STATEFUL_FIELDS = ['conversation', 'prompt'] as const;

function toReasoning(effort: NonNullable<NonNullable<OpenAIResponsesRequest['reasoning']>['effort']>): ReasoningOptions {
  if (effort === 'none') return { enabled: false };
  // The canonical scale tops out at `high`.
  if (effort === 'xhigh') return { effort: 'high' };
  return { effort };
}

function rejectStateful(body: Record<string, unknown>, data: OpenAIResponsesRequest, resolved: boolean): void {
  for (const field of STATEFUL_FIELDS) {
    if (body[field] != null) {
      throw new GatewayError('unsupported_parameter', `Unsupported parameter: ${field} is not supported by this gateway`, { param: field });
    }
  }
  if (data.previous_response_id != null && !resolved) {
    throw new GatewayError('unsupported_parameter', 'Unsupported parameter: previous_response_id is not supported on this endpoint', { param: 'previous_response_id' });
  }
  if (data.background === true && data.stream === true) {
    throw new GatewayError('unsupported_parameter', 'Unsupported parameter: background responses cannot be streamed; poll GET /v1/responses/{id}', {
      param: 'stream',
    });
  }
  if (data.background === true && data.store === false) {
    throw new GatewayError('invalid_request', 'Invalid value: background responses must be stored (store: false cannot be combined with background: true)', {
      param: 'store',
    });
  }
}

/** The items of the stored conversation a request continues, typed as input items (they were validated when stored). */
function readPriorItems(priorItems: ReadonlyArray<Record<string, unknown>>): ResponsesInputItem[] {
  const read = readResponsesInputItems(priorItems);
  if (read !== undefined) return read;
  const parsed = openAIResponsesRequestSchema.shape.input.safeParse(priorItems);
  if (!parsed.success || !Array.isArray(parsed.data)) {
    throw new GatewayError('invalid_request', 'Invalid value: the stored response named by previous_response_id cannot be continued', {
      param: 'previous_response_id',
    });
  }
  return parsed.data;
}

function validateWithSchema(body: unknown): OpenAIResponsesRequest {
  const parsed = openAIResponsesRequestSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw zodErrorToGatewayError(parsed.error);
  return parsed.data;
}

/**
 * Validates an OpenAI Responses body (`POST /v1/responses`) and converts it to the canonical request. `priorItems`
 * are the input and output items of the stored response named by `previous_response_id`, already loaded: they come
 * first in the conversation (its `instructions` are not carried over, as OpenAI does).
 */
export function parseOpenAIResponsesRequest(body: unknown, priorItems?: ReadonlyArray<Record<string, unknown>>): CanonicalRequest {
  const data = readOpenAIResponsesRequest(body) ?? validateWithSchema(body);
  if (!isRecord(body)) throw new GatewayError('invalid_request', 'Invalid request body: expected a JSON object');
  rejectStateful(body, data, priorItems !== undefined);
  const warnings: Warning[] = [];
  const own = data.input ?? [];
  const prior = priorItems === undefined || priorItems.length === 0 ? undefined : readPriorItems(priorItems);
  const conversation = prior === undefined ? own : [...prior, ...(typeof own === 'string' ? [{ role: 'user' as const, content: own }] : own)];
  const input = convertResponsesInput(conversation, data.instructions ?? undefined);
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
  // A request the gateway neither stores nor continues can go to a Responses API target as the client sent it, with
  // every item and tool the canonical request cannot hold: what translating it loses is then reported only by
  // targets that translate it.
  const forwardable = data.previous_response_id == null && data.store === false && data.background !== true;
  if (forwardable) request.passthrough = { format: 'openai-responses', body, onlyWithForwardedAnswer: true };
  if (warnings.length > 0) {
    if (forwardable) request.translationWarnings = warnings;
    else request.warnings = warnings;
  }
  return request;
}
