import { isRecord } from '../../core/index.js';
import type { OpenAIChatRequest } from '../../wire/openai-chat/openai-chat-request-schema.js';

const isNullish = (value: unknown): value is null | undefined => value === null || value === undefined;
const optional = (value: unknown, check: (present: unknown) => boolean): boolean => isNullish(value) || check(value);
const inRange = (min: number, max: number) => (value: unknown) => typeof value === 'number' && value >= min && value <= max;
const positiveInt = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 1;
const isString = (value: unknown): boolean => typeof value === 'string';
const isBoolean = (value: unknown): boolean => typeof value === 'boolean';
// Built once: the checks run on every request.
const temperatureRange = inRange(0, 2);
const unitRange = inRange(0, 1);
const penaltyRange = inRange(-2, 2);
const isStreamOptions = (value: unknown): boolean => isRecord(value) && optional(value.include_usage, isBoolean);

// Mapped fields whose shapes are deep unions (tools, structured output, reasoning): their requests take zod's path.
const RICH_FIELDS = ['tools', 'tool_choice', 'parallel_tool_calls', 'response_format', 'reasoning_effort'] as const;
const PLAIN_ROLES = new Set(['system', 'developer', 'user', 'assistant']);

function isPlainMessage(message: unknown): boolean {
  if (!isRecord(message) || typeof message.role !== 'string' || !PLAIN_ROLES.has(message.role)) return false;
  if (typeof message.content !== 'string') return false;
  return message.role !== 'assistant' || (message.tool_calls === undefined && optional(message.reasoning_content, isString));
}

function isStop(value: unknown): boolean {
  return typeof value === 'string' || (Array.isArray(value) && value.length <= 4 && value.every(isString));
}

function isStringRecord(value: unknown): boolean {
  return isRecord(value) && Object.values(value).every(isString);
}

/**
 * The common request (string-content chat turns and scalar settings) checked by hand, because it is nearly every
 * request and zod's general union walk is the largest cost of parsing it. Anything else, valid or not, answers
 * undefined and takes the schema's path, which also writes the path-precise error messages.
 */
export function matchPlainChatRequest(body: unknown): OpenAIChatRequest | undefined {
  if (!isRecord(body)) return undefined;
  if (typeof body.model !== 'string' || body.model === '') return undefined;
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every(isPlainMessage)) return undefined;
  for (const field of RICH_FIELDS) if (!isNullish(body[field])) return undefined;
  const plain =
    optional(body.max_completion_tokens, positiveInt) &&
    optional(body.max_tokens, positiveInt) &&
    optional(body.n, positiveInt) &&
    optional(body.temperature, temperatureRange) &&
    optional(body.top_p, unitRange) &&
    optional(body.frequency_penalty, penaltyRange) &&
    optional(body.presence_penalty, penaltyRange) &&
    optional(body.seed, Number.isSafeInteger) &&
    optional(body.stop, isStop) &&
    optional(body.user, isString) &&
    optional(body.metadata, isStringRecord) &&
    optional(body.stream, isBoolean) &&
    optional(body.stream_options, isStreamOptions);
  return plain ? (body as OpenAIChatRequest) : undefined;
}
