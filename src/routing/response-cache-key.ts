import { createHash } from 'node:crypto';
import type { CanonicalRequest } from '../core/index.js';

/** Deeper than any real request; a deeper body is simply not cached rather than walked. */
const MAX_DEPTH = 64;

/** Body fields of a pass-through body that change delivery or bookkeeping, not the answer. */
const DELIVERY_FIELDS = new Set(['stream', 'stream_options', 'metadata', 'user']);

/** JSON with object keys sorted, so two equal requests hash alike whatever their key order; undefined past the depth bound. */
function stableJson(value: unknown, depth: number): string | undefined {
  if (depth > MAX_DEPTH) return undefined;
  if (Array.isArray(value)) {
    const items: string[] = [];
    for (const item of value) {
      const text = stableJson(item, depth + 1);
      if (text === undefined) return undefined;
      items.push(text);
    }
    return `[${items.join(',')}]`;
  }
  if (value !== null && typeof value === 'object') {
    const fields: string[] = [];
    for (const key of Object.keys(value).sort()) {
      const field: unknown = (value as Record<string, unknown>)[key];
      if (field === undefined) continue;
      const text = stableJson(field, depth + 1);
      if (text === undefined) return undefined;
      fields.push(`${JSON.stringify(key)}:${text}`);
    }
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/**
 * The cache key of a generation request: a SHA-256 of the model name and everything that changes the answer.
 * Streaming, usage reporting, metadata, the end user and the request id only change how or for whom the answer is
 * delivered, so a streamed request and a non-streamed one share an entry. Undefined when the request is too deep to key.
 */
export function responseCacheKey(request: CanonicalRequest): string | undefined {
  const { stream: _stream, includeUsage: _includeUsage, metadata: _metadata, user: _user, passthrough, ...meaning } = request;
  const keyed: Record<string, unknown> = { ...meaning };
  if (passthrough) {
    keyed.passthrough = {
      format: passthrough.format,
      body: Object.fromEntries(Object.entries(passthrough.body).filter(([field]) => !DELIVERY_FIELDS.has(field))),
      headers: passthrough.headers,
    };
  }
  const text = stableJson(keyed, 0);
  return text === undefined ? undefined : createHash('sha256').update(text).digest('hex');
}
