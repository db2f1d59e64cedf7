import { isRecord } from '../../core/index.js';
import type { OpenAIChatChunk } from '../../wire/openai-chat/openai-chat-response-schemas.js';

function absent(value: unknown): boolean {
  return value === undefined || value === null;
}

function optionalString(value: unknown): boolean {
  return absent(value) || typeof value === 'string';
}

function optionalNumber(value: unknown): boolean {
  return absent(value) || typeof value === 'number';
}

function optionalTokenDetails(value: unknown, field: string): boolean {
  return absent(value) || (isRecord(value) && optionalNumber(value[field]));
}

function isUsage(value: unknown): boolean {
  return (
    isRecord(value) &&
    optionalNumber(value.prompt_tokens) &&
    optionalNumber(value.completion_tokens) &&
    optionalNumber(value.prompt_cache_hit_tokens) &&
    optionalTokenDetails(value.prompt_tokens_details, 'cached_tokens') &&
    optionalTokenDetails(value.completion_tokens_details, 'reasoning_tokens')
  );
}

function isToolFragment(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const { index, function: fn } = value;
  if (!absent(index) && !(typeof index === 'number' && Number.isSafeInteger(index) && index >= 0)) return false;
  if (!optionalString(value.id) || !optionalString(value.type)) return false;
  return absent(fn) || (isRecord(fn) && optionalString(fn.name) && optionalString(fn.arguments));
}

function isDelta(value: unknown): boolean {
  if (!isRecord(value)) return false;
  // Content as a list of parts (Mistral's reasoning models) is left to the schema, which knows its shapes.
  if (!optionalString(value.role) || !optionalString(value.content) || !optionalString(value.refusal) || !optionalString(value.reasoning_content)) return false;
  const calls = value.tool_calls;
  if (absent(calls)) return true;
  if (!Array.isArray(calls)) return false;
  for (const call of calls) if (!isToolFragment(call)) return false;
  return true;
}

function isChoice(value: unknown): boolean {
  return isRecord(value) && optionalNumber(value.index) && optionalString(value.finish_reason) && (absent(value.delta) || isDelta(value.delta));
}

/**
 * The chunk as it is when it has one of the common shapes `openAIChatChunkSchema` accepts (text, role, refusal,
 * reasoning, tool-call fragments, finish, usage), else undefined and the schema decides. Inside a gateway process zod's
 * shared parsers see many schemas and run at 7–70 µs a chunk, against ~1 µs for this; the stream's first and last chunk
 * and every tool-call fragment came that way. Fields it does not know are kept, as the loose schema keeps them.
 */
export function readOpenAIChunk(value: unknown): OpenAIChatChunk | undefined {
  if (!isRecord(value)) return undefined;
  if (!optionalString(value.id) || !optionalString(value.model)) return undefined;
  if (!absent(value.usage) && !isUsage(value.usage)) return undefined;
  // Groq's usage envelope is rare enough to leave to the schema.
  if (value.x_groq !== undefined) return undefined;
  const choices = value.choices;
  if (!absent(choices)) {
    if (!Array.isArray(choices)) return undefined;
    for (const choice of choices) if (!isChoice(choice)) return undefined;
  }
  return value as OpenAIChatChunk;
}
