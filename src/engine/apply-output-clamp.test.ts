import { describe, expect, it } from 'vitest';
import type { CanonicalRequest, ProviderSettings, Target } from '../core/index.js';
import { requestForTarget } from './apply-output-clamp.js';

const clampedTarget: Target = {
  provider: { id: 'oai', type: 'openai', baseUrl: 'http://127.0.0.1:1/v1', headers: {}, options: { api: 'responses' } } as ProviderSettings,
  model: 'gpt-5',
  outputClamp: { requested: 200_000, clamped: 128_000, limit: 'the 128000-token output limit' },
};

describe('requestForTarget', () => {
  it('writes a clamped budget into a forwarded Responses body, leaving the client’s body as it was', () => {
    const body = { model: 'codex', input: 'hi', max_output_tokens: 200_000 };
    const request: CanonicalRequest = { model: 'codex', messages: [], stream: false, maxOutputTokens: 200_000, passthrough: { format: 'openai-responses', body } };
    const out = requestForTarget(request, clampedTarget);
    expect(out.maxOutputTokens).toBe(128_000);
    expect(out.passthrough?.body).toEqual({ ...body, max_output_tokens: 128_000 });
    expect(body.max_output_tokens).toBe(200_000);
  });
});
