/** What identifies one function call in a Gemini response. */
export interface GeminiToolCallIdInput {
  /** `functionCall.id` when Gemini sent one. */
  partId: string | undefined;
  responseId: string | undefined;
  name: string;
  /** Position among the response's function calls, from 0. */
  index: number;
  argumentsJson: string;
}

/** 32-bit FNV-1a, enough to tell calls apart when the response carries no id. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

/**
 * Gives a Gemini function call a stable id: its own `id` when present, else `call_<responseId>_<index>`, else a hash
 * of name and arguments. Deterministic, so a streamed and a non-streamed copy of the same payload agree.
 */
export function toGeminiToolCallId(input: GeminiToolCallIdInput): string {
  if (input.partId !== undefined && input.partId !== '') return input.partId;
  if (input.responseId !== undefined && input.responseId !== '') return `call_${input.responseId}_${input.index}`;
  return `call_${fnv1a(`${input.name}\u0000${input.argumentsJson}`)}_${input.index}`;
}
