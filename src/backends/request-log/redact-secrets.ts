import { maskSecrets } from '../../core/index.js';

/** Object keys whose values are credentials wherever they appear (headers, provider options, nested config). */
const SECRET_KEYS =
  /^(authorization|proxy-authorization|x-api-key|api[-_]?key|x-goog-api-key|cookie|set-cookie|password|secret|client[-_]secret|access[-_]token|refresh[-_]token)$/i;

export const REDACTED = '[redacted]';

/** Nesting beyond this is cut off rather than walked (bodies are client-controlled). */
const MAX_DEPTH = 64;

/** A deep copy of a body with credential fields replaced and key-shaped strings masked; the input is not modified. */
export function redactSecrets(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskSecrets(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.map((item: unknown) => redactSecrets(item, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    copy[key] = SECRET_KEYS.test(key) ? REDACTED : redactSecrets(item, depth + 1);
  }
  return copy;
}
