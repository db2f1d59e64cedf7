import { ANTHROPIC_CUSTOM_ID } from '../../wire/anthropic-messages/anthropic-batch-schemas.js';

// Marks an id that was encoded; a plain id that happens to start with it is encoded too, so decoding is unambiguous.
const ENCODED = 'b64-';

/**
 * A job's custom_id as Anthropic accepts it (1–64 of `[A-Za-z0-9_-]`): unchanged when it already fits, else
 * `b64-` and its base64url. Undefined when even the encoding is too long (such a line cannot be delegated).
 */
export function toAnthropicCustomId(customId: string): string | undefined {
  if (ANTHROPIC_CUSTOM_ID.test(customId) && !customId.startsWith(ENCODED)) return customId;
  const encoded = ENCODED + Buffer.from(customId, 'utf8').toString('base64url');
  return ANTHROPIC_CUSTOM_ID.test(encoded) ? encoded : undefined;
}

/** The job's custom_id back from the one Anthropic echoed. */
export function fromAnthropicCustomId(sent: string): string {
  return sent.startsWith(ENCODED) ? Buffer.from(sent.slice(ENCODED.length), 'base64url').toString('utf8') : sent;
}
