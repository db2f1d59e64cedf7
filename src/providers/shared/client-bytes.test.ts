import { describe, expect, it } from 'vitest';
import { checkJsonLimits, DEFAULT_INPUT_LIMITS, type CanonicalRequest } from '../../core/index.js';
import { clientBytesFor } from './client-bytes.js';

type Passthrough = NonNullable<CanonicalRequest['passthrough']>;

function passthroughOf(text: string): Passthrough {
  const body = JSON.parse(text) as Record<string, unknown>;
  const keys = checkJsonLimits(body, DEFAULT_INPUT_LIMITS);
  return { format: 'openai-chat', body, source: { body, bytes: new TextEncoder().encode(text), keys } };
}

const TEXT = '{"model":"alias", "messages":[{"role":"user","content":"hi"}], "max_completion_tokens":5}';

function sent(passthrough: Passthrough, upstreamBody: Record<string, unknown>): string | undefined {
  return clientBytesFor(passthrough, upstreamBody)?.toString('utf8');
}

describe('clientBytesFor', () => {
  it('splices in only what the body to send changes: the model, an added field, a renamed one', () => {
    const passthrough = passthroughOf(TEXT);
    const { body } = passthrough;
    expect(sent(passthrough, { ...body, model: 'gpt-4o' })).toBe(TEXT.replace('"alias"', '"gpt-4o"'));
    expect(sent(passthrough, { ...body, model: 'm', stream_options: { include_usage: true } })).toBe(
      '{"model":"m", "messages":[{"role":"user","content":"hi"}], "max_completion_tokens":5,"stream_options":{"include_usage":true}}',
    );
    const { max_completion_tokens: limit, ...renamed } = body;
    expect(sent(passthrough, { ...renamed, model: 'm', max_tokens: limit })).toBe('{"model":"m", "messages":[{"role":"user","content":"hi"}],"max_tokens":5}');
  });

  it('splices against the body as parsed, so a copy with changes (an output clamp) still sends the client bytes', () => {
    const passthrough = passthroughOf(TEXT);
    const clamped: Passthrough = { ...passthrough, body: { ...passthrough.body, max_completion_tokens: 3 } };
    expect(sent(clamped, { ...clamped.body, model: 'gpt-4o' })).toBe(TEXT.replace('"alias"', '"gpt-4o"').replace(':5', ':3'));
  });

  it('sends the bytes unchanged when nothing changes, and nothing for a request without bytes', () => {
    const passthrough = passthroughOf(TEXT);
    expect(sent(passthrough, passthrough.body)).toBe(TEXT);
    const { source: _none, ...withoutBytes } = passthrough;
    expect(sent(withoutBytes, passthrough.body)).toBeUndefined();
  });

  it('declines a change it cannot write as JSON by name', () => {
    const passthrough = passthroughOf(TEXT);
    expect(sent(passthrough, { ...passthrough.body, 'a"b': 1 })).toBeUndefined();
    expect(sent(passthrough, { ...passthrough.body, model: () => 'x' })).toBeUndefined();
  });
});
