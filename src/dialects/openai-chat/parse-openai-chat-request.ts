import { GatewayError, type CanonicalRequest, type ReasoningOptions, isRecord } from '../../core/index.js';
import { convertOpenAIMessages } from './convert-openai-messages.js';
import { convertOpenAIResponseFormat, convertOpenAIToolChoice, convertOpenAITools } from './convert-openai-tools.js';
import { matchCommonChatRequest } from './match-common-chat-request.js';
import { MAPPED_REQUEST_FIELDS, openAIChatRequestSchema, type OpenAIChatRequest } from '../../wire/openai-chat/openai-chat-request-schema.js';
import { zodErrorToGatewayError } from './zod-error-to-gateway-error.js';

/** Legacy function-calling fields: their replies use the rejected `function` role, so they cannot round-trip. */
const DEPRECATED_FIELDS = ['functions', 'function_call'] as const;

function toReasoning(effort: NonNullable<OpenAIChatRequest['reasoning_effort']>): ReasoningOptions {
  if (effort === 'none') return { enabled: false };
  // The canonical scale tops out at `high`; `passthrough` keeps the exact value for OpenAI-format targets.
  if (effort === 'xhigh' || effort === 'max') return { effort: 'high' };
  return { effort };
}

/** Fields the gateway does not map, kept verbatim for OpenAI-format targets (others report them as dropped). */
function collectProviderOptions(body: Record<string, unknown>): Record<string, unknown> | undefined {
  const options: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(body)) {
    if (!MAPPED_REQUEST_FIELDS.has(key) && value !== null && value !== undefined) options[key] = value;
  }
  return Object.keys(options).length > 0 ? options : undefined;
}

function rejectUnsupported(body: Record<string, unknown>, data: OpenAIChatRequest): void {
  for (const field of DEPRECATED_FIELDS) {
    if (body[field] !== undefined && body[field] !== null) {
      throw new GatewayError('unsupported_parameter', `Unsupported parameter: ${field} is deprecated; use tools`, {
        param: field,
      });
    }
  }
  if (data.n != null && data.n > 1) {
    throw new GatewayError('unsupported_parameter', 'Unsupported value at n: only n = 1 is supported', { param: 'n' });
  }
}

function validateWithSchema(body: unknown): OpenAIChatRequest {
  const parsed = openAIChatRequestSchema.safeParse(body, { reportInput: true });
  if (!parsed.success) throw zodErrorToGatewayError(parsed.error);
  return parsed.data;
}

/** Validates an OpenAI Chat Completions body and converts it to the canonical request. */
export function parseOpenAIChatRequest(body: unknown): CanonicalRequest {
  const data = matchCommonChatRequest(body) ?? validateWithSchema(body);
  if (!isRecord(body)) throw new GatewayError('invalid_request', 'Invalid request body: expected a JSON object');
  rejectUnsupported(body, data);

  const request: CanonicalRequest = {
    model: data.model,
    messages: convertOpenAIMessages(data.messages),
    stream: data.stream ?? false,
    passthrough: { format: 'openai-chat', body },
  };
  if (data.tools) request.tools = convertOpenAITools(data.tools);
  if (data.tool_choice != null) request.toolChoice = convertOpenAIToolChoice(data.tool_choice, request.tools ?? []);
  if (data.parallel_tool_calls != null) request.parallelToolCalls = data.parallel_tool_calls;
  if (data.response_format != null) request.responseFormat = convertOpenAIResponseFormat(data.response_format);
  const maxOutputTokens = data.max_completion_tokens ?? data.max_tokens;
  if (maxOutputTokens != null) request.maxOutputTokens = maxOutputTokens;
  if (data.temperature != null) request.temperature = data.temperature;
  if (data.top_p != null) request.topP = data.top_p;
  if (data.frequency_penalty != null) request.frequencyPenalty = data.frequency_penalty;
  if (data.presence_penalty != null) request.presencePenalty = data.presence_penalty;
  if (data.seed != null) request.seed = data.seed;
  if (data.stop != null) request.stop = typeof data.stop === 'string' ? [data.stop] : data.stop;
  if (data.user != null) request.user = data.user;
  if (data.metadata != null) request.metadata = data.metadata;
  if (data.reasoning_effort != null) request.reasoning = toReasoning(data.reasoning_effort);
  const includeUsage = data.stream_options?.include_usage;
  if (includeUsage != null) request.includeUsage = includeUsage;
  const providerOptions = collectProviderOptions(body);
  if (providerOptions) request.providerOptions = { openai: providerOptions };
  return request;
}
