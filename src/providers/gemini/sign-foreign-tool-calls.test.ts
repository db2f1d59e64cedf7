import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../core/index.js';
import { buildGeminiRequest } from './build-gemini-request.js';
import { SKIP_SIGNATURE } from './sign-foreign-tool-calls.js';

const history = (signature?: string): CanonicalRequest => ({
  model: 'g',
  stream: false,
  messages: [
    { role: 'user', content: [{ type: 'text', text: 'weather in Paris and Rome?' }] },
    {
      role: 'assistant',
      content: [
        {
          type: 'tool-call',
          callId: 'call_1',
          name: 'weather',
          arguments: '{"city":"Paris"}',
          ...(signature === undefined ? {} : { providerMetadata: { gemini: { thoughtSignature: signature } } }),
        },
        { type: 'tool-call', callId: 'call_2', name: 'weather', arguments: '{"city":"Rome"}' },
      ],
    },
    { role: 'tool', content: [{ type: 'tool-result', callId: 'call_1', content: [{ type: 'text', text: 'sunny' }] }] },
  ],
});

const modelParts = (request: CanonicalRequest, model: string) =>
  buildGeminiRequest(request, 'json-schema', model).body.contents.find((c) => c.role === 'model')?.parts ?? [];

describe('thought signatures for tool calls Gemini did not make', () => {
  it('marks the first unsigned call with the documented placeholder for Gemini 3', () => {
    const parts = modelParts(history(), 'gemini-3-pro-preview');
    expect(parts.map((p) => p.thoughtSignature)).toEqual([SKIP_SIGNATURE, undefined]);
  });

  it('keeps real signatures and leaves older models alone', () => {
    expect(modelParts(history('sig-abc'), 'gemini-3-pro-preview').map((p) => p.thoughtSignature)).toEqual(['sig-abc', undefined]);
    expect(modelParts(history(), 'gemini-2.5-flash').map((p) => p.thoughtSignature)).toEqual([undefined, undefined]);
  });
});
