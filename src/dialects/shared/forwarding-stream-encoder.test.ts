import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/index.js';
import { createOpenAIChatStreamEncoder } from '../openai-chat/create-openai-chat-stream-encoder.js';
import { forwardingStreamEncoder } from './forwarding-stream-encoder.js';

const context = { requestId: 'r1', model: 'm', created: 1, includeUsage: false };

describe('forwardingStreamEncoder', () => {
  it('encodes a translated stream as the dialect does', () => {
    const plain = createOpenAIChatStreamEncoder(context);
    const wrapped = forwardingStreamEncoder(createOpenAIChatStreamEncoder(context));
    for (const event of [{ type: 'response-start' }, { type: 'finish', reason: { unified: 'stop' } }] as const) {
      expect(wrapped.encode(event)).toBe(plain.encode(event));
    }
    expect(wrapped.end()).toBe(plain.end());
  });

  it('writes forwarded frames as they came, adds no finish or closing frame, and still words an error', () => {
    const encoder = forwardingStreamEncoder(createOpenAIChatStreamEncoder(context));
    expect(encoder.encode({ type: 'warning', warning: { code: 'parameter_adjusted', message: 'x' } })).toBe('');
    expect(encoder.encode({ type: 'wire', data: 'data: {"a":1}\n\n' })).toBe('data: {"a":1}\n\n');
    expect(encoder.encode({ type: 'usage', usage: { inputTokens: 1 } })).toBe('');
    expect(encoder.encode({ type: 'finish', reason: { unified: 'stop' } })).toBe('');
    expect(encoder.encode({ type: 'error', error: new GatewayError('upstream_stalled', 'stalled') })).toContain('"error"');
    expect(encoder.end()).toBe('');
  });
});
