import type { CanonicalRequest } from '../../core/index.js';
import { replaceTopLevelString } from './replace-top-level-string.js';

type Passthrough = NonNullable<CanonicalRequest['passthrough']>;

/** Whether `after` holds the keys of `before` with the same values, but for `field`. */
function differsOnlyIn(before: Record<string, unknown>, after: Record<string, unknown>, field: string): boolean {
  const keys = Object.keys(after);
  if (keys.length !== Object.keys(before).length) return false;
  for (const key of keys) if (key !== field && (!Object.hasOwn(before, key) || before[key] !== after[key])) return false;
  return true;
}

/** The bytes the client sent, while the pass-through body is still the object parsed from them. */
export function clientBytes(passthrough: Passthrough): Uint8Array | undefined {
  const { source } = passthrough;
  return source !== undefined && source.body === passthrough.body ? source.bytes : undefined;
}

/**
 * The upstream body as the client's own bytes with `model` replaced, when the body to send differs from the client's
 * only there; undefined otherwise (the caller serialises it). Re-serialising a 100 KB agent request took ~180 µs and
 * encoding the text for the socket ~90 µs more (docs/benchmarks.md).
 */
export function clientBytesWithModel(passthrough: Passthrough, upstreamBody: Record<string, unknown>, model: string): Uint8Array | undefined {
  const bytes = clientBytes(passthrough);
  if (bytes === undefined || upstreamBody.model !== model || !differsOnlyIn(passthrough.body, upstreamBody, 'model')) return undefined;
  return replaceTopLevelString(bytes, 'model', model, Object.keys(passthrough.body).length);
}
