import { isRecord } from '../../core/index.js';
import type { z } from 'zod';
import type { openAIChatResponseSchema } from '../../wire/openai-chat/openai-chat-response-schemas.js';

type OpenAIChatResponse = z.infer<typeof openAIChatResponseSchema>;
type Json = Record<string, unknown>;

const isNullish = (value: unknown): boolean => value === null || value === undefined;
const optionalString = (value: unknown): boolean => isNullish(value) || typeof value === 'string';
const optionalNumber = (value: unknown): boolean => isNullish(value) || typeof value === 'number';
const optionalRecordOf = (value: unknown, check: (record: Json) => boolean): boolean => isNullish(value) || (isRecord(value) && check(value));

function isToolCall(call: unknown): boolean {
  if (!isRecord(call)) return false;
  const index = call.index;
  return (
    (isNullish(index) || (Number.isSafeInteger(index) && (index as number) >= 0)) &&
    optionalString(call.id) &&
    optionalString(call.type) &&
    optionalRecordOf(call.function, (fn) => optionalString(fn.name) && optionalString(fn.arguments))
  );
}

function isMessage(message: unknown): boolean {
  if (!isRecord(message)) return false;
  const toolCalls = message.tool_calls;
  return (
    optionalString(message.role) &&
    optionalString(message.content) &&
    optionalString(message.refusal) &&
    optionalString(message.reasoning_content) &&
    (isNullish(toolCalls) || (Array.isArray(toolCalls) && toolCalls.every(isToolCall)))
  );
}

function isChoice(choice: unknown): boolean {
  return isRecord(choice) && optionalNumber(choice.index) && isMessage(choice.message) && optionalString(choice.finish_reason);
}

function isUsage(usage: Json): boolean {
  return (
    optionalNumber(usage.prompt_tokens) &&
    optionalNumber(usage.completion_tokens) &&
    optionalNumber(usage.prompt_cache_hit_tokens) &&
    optionalRecordOf(usage.prompt_tokens_details, (details) => optionalNumber(details.cached_tokens)) &&
    optionalRecordOf(usage.completion_tokens_details, (details) => optionalNumber(details.reasoning_tokens))
  );
}

/**
 * A Chat Completions body with string (or null) message content, checked by hand: it is nearly every upstream answer,
 * and the schema walk costs more than the translation. Content chunk arrays (Mistral) and anything malformed answer
 * undefined and take the schema's path, which also words the error.
 */
export function matchPlainChatResponse(body: unknown): OpenAIChatResponse | undefined {
  if (!isRecord(body) || !optionalString(body.id) || !optionalString(body.model)) return undefined;
  if (!Array.isArray(body.choices) || !body.choices.every(isChoice)) return undefined;
  if (!optionalRecordOf(body.usage, isUsage)) return undefined;
  return body as OpenAIChatResponse;
}
