import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../core/index.js';
import { clientBytes, clientBytesWithModel } from './client-bytes.js';

type Passthrough = NonNullable<CanonicalRequest['passthrough']>;

function passthroughOf(text: string): Passthrough {
  const body = JSON.parse(text) as Record<string, unknown>;
  return { format: 'openai-chat', body, source: { body, bytes: new TextEncoder().encode(text) } };
}

const TEXT = '{"model":"alias","messages":[{"role":"user","content":"hi"}],"max_tokens":5}';

describe('clientBytesWithModel', () => {
  it('gives the client bytes with the model replaced when the body to send changes nothing else', () => {
    const passthrough = passthroughOf(TEXT);
    const bytes = clientBytesWithModel(passthrough, { ...passthrough.body, model: 'gpt-4o' }, 'gpt-4o');
    expect(new TextDecoder().decode(bytes)).toBe(TEXT.replace('alias', 'gpt-4o'));
  });

  it('declines a body to send with a field changed, added or dropped', () => {
    const passthrough = passthroughOf(TEXT);
    const { body } = passthrough;
    expect(clientBytesWithModel(passthrough, { ...body, model: 'gpt-4o', max_tokens: 6 }, 'gpt-4o')).toBeUndefined();
    expect(clientBytesWithModel(passthrough, { ...body, model: 'gpt-4o', stream_options: { include_usage: true } }, 'gpt-4o')).toBeUndefined();
    const { max_tokens: _dropped, ...fewer } = body;
    expect(clientBytesWithModel(passthrough, { ...fewer, model: 'gpt-4o', seed: 1 }, 'gpt-4o')).toBeUndefined();
    expect(clientBytesWithModel(passthrough, { ...body, messages: [], model: 'gpt-4o' }, 'gpt-4o')).toBeUndefined();
  });

  it('declines once the pass-through body is a copy (an output clamp, say), not the object parsed from the bytes', () => {
    const passthrough = passthroughOf(TEXT);
    const copy: Passthrough = { ...passthrough, body: { ...passthrough.body, max_tokens: 3 } };
    expect(clientBytes(copy)).toBeUndefined();
    expect(clientBytesWithModel(copy, { ...copy.body, model: 'gpt-4o' }, 'gpt-4o')).toBeUndefined();
    expect(clientBytes(passthrough)).toBe(passthrough.source?.bytes);
  });
});
