import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../core/index.js';
import { responseCacheKey } from './response-cache-key.js';

const base: CanonicalRequest = { model: 'smart', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: false };

describe('responseCacheKey', () => {
  it('ignores delivery and bookkeeping: stream, usage reporting, metadata, user', () => {
    const delivered: CanonicalRequest = { ...base, stream: true, includeUsage: true, metadata: { team: 'a' }, user: 'u1' };
    expect(responseCacheKey(delivered)).toBe(responseCacheKey(base));
  });

  it('changes with the model and with anything that changes the answer', () => {
    const key = responseCacheKey(base);
    expect(responseCacheKey({ ...base, model: 'fast' })).not.toBe(key);
    expect(responseCacheKey({ ...base, temperature: 0 })).not.toBe(key);
    expect(responseCacheKey({ ...base, maxOutputTokens: 5 })).not.toBe(key);
  });

  it('does not depend on key order in tool schemas', () => {
    const tool = (parameters: Record<string, unknown>): CanonicalRequest => ({ ...base, tools: [{ name: 'f', parameters }] });
    expect(responseCacheKey(tool({ type: 'object', properties: {} }))).toBe(responseCacheKey(tool({ properties: {}, type: 'object' })));
  });

  it('declines to key a request nested deeper than its bound', () => {
    let schema: Record<string, unknown> = {};
    for (let depth = 0; depth < 100; depth++) schema = { items: schema };
    expect(responseCacheKey({ ...base, tools: [{ name: 'f', parameters: schema }] })).toBeUndefined();
  });
});
