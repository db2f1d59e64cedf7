import type { CanonicalRequest } from '../../core/index.js';
import { spliceTopLevel } from './splice-top-level.js';

type Passthrough = NonNullable<CanonicalRequest['passthrough']>;

/** A key JSON writes as it is, between quotes: one the splice can add by name. */
function isPlainKey(key: string): boolean {
  return JSON.stringify(key) === `"${key}"`;
}

/**
 * The top-level members `after` changes from `before`: the JSON text of each value set or added, `undefined` for each
 * removed; undefined when a change cannot be spliced (a value JSON cannot write, a key that needs escapes). Values are
 * compared by identity: the adapters copy what they change and never change the parsed body itself.
 */
function changedMembers(before: Record<string, unknown>, after: Record<string, unknown>): Map<string, string | undefined> | undefined {
  const changes = new Map<string, string | undefined>();
  for (const key of Object.keys(before)) {
    if (after[key] !== undefined) continue;
    if (!isPlainKey(key)) return undefined;
    changes.set(key, undefined);
  }
  for (const key of Object.keys(after)) {
    const value = after[key];
    if (value === undefined || (Object.hasOwn(before, key) && before[key] === value)) continue;
    const text = JSON.stringify(value) as string | undefined;
    if (text === undefined || !isPlainKey(key)) return undefined;
    changes.set(key, text);
  }
  return changes;
}

/**
 * The body to send upstream as the client's own bytes, with only the top-level members it changes (the model, say,
 * or `stream_options`) spliced in; undefined when the request has no bytes to send (not parsed from a client's
 * body) or they cannot be spliced safely, so the caller serialises `upstreamBody`. Re-serialising a 100 KB agent
 * request took ~180 µs and encoding the text for the socket ~90 µs more (docs/benchmarks.md).
 */
export function clientBytesFor(passthrough: Passthrough, upstreamBody: Record<string, unknown>): Buffer | undefined {
  const { source } = passthrough;
  if (source === undefined) return undefined;
  const changes = changedMembers(source.body, upstreamBody);
  return changes === undefined ? undefined : spliceTopLevel(source.bytes, changes, source.keys);
}
