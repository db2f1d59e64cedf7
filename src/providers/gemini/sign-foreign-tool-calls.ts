import type { GeminiContent } from '../../wire/gemini/gemini-request-schema.js';

/**
 * Google's documented placeholder for a function call whose thought signature Gemini never produced (history from
 * another provider, or written by the client). Gemini 3 rejects unsigned calls in the current turn without it.
 */
export const SKIP_SIGNATURE = 'skip_thought_signature_validator';

/** True for models that require a thought signature on replayed function calls. */
export function requiresThoughtSignatures(model: string): boolean {
  return /^(models\/)?gemini-3/.test(model);
}

/**
 * Marks each model turn whose function calls carry no signature at all with the placeholder on its first call (Gemini
 * signs only the first call of a parallel batch, so that is where it looks).
 */
export function signForeignToolCalls(contents: GeminiContent[]): void {
  for (const content of contents) {
    if (content.role !== 'model') continue;
    const calls = content.parts.filter((part) => part.functionCall !== undefined);
    const first = calls[0];
    if (first && calls.every((part) => part.thoughtSignature === undefined)) first.thoughtSignature = SKIP_SIGNATURE;
  }
}
