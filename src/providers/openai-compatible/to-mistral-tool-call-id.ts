import { createHash } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const MISTRAL_ID = /^[a-zA-Z0-9]{9}$/;

/**
 * Maps any tool-call id to one Mistral accepts (`[a-zA-Z0-9]{9}`). Ids that already fit are kept; others become a
 * stable hash, so an assistant `tool_calls[].id` and the matching tool `tool_call_id` map to the same value.
 */
export function toMistralToolCallId(id: string): string {
  if (MISTRAL_ID.test(id)) return id;
  const digest = createHash('sha256').update(id).digest();
  let out = '';
  for (let i = 0; i < 9; i++) out += ALPHABET[(digest[i] as number) % ALPHABET.length];
  return out;
}
