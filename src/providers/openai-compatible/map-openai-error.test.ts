import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../core/index.js';
import { mapOpenAIError } from './map-openai-error.js';

function fixtureText(name: string): string {
  return readFileSync(new URL(`../../wire/openai-chat/__fixtures__/${name}`, import.meta.url), 'utf8');
}

describe('mapOpenAIError', () => {
  it('maps the recorded OpenAI 401 without echoing the key', () => {
    const error = mapOpenAIError(401, {}, JSON.parse(fixtureText('openai-error-401.json')), 'oai');
    expect(error).toBeInstanceOf(GatewayError);
    expect(error).toMatchObject({ code: 'upstream_authentication', retryable: false, upstreamStatus: 401, provider: 'oai' });
    expect(error.message).toMatch(/^oai returned HTTP 401: Incorrect API key provided: \[redacted\]/);
    expect(error.message).not.toContain('invalid-key');
  });

  it('maps the recorded OpenAI 429 as a retryable rate limit', () => {
    const error = mapOpenAIError(429, {}, JSON.parse(fixtureText('openai-error-429.json')), 'oai');
    expect(error).toMatchObject({ code: 'upstream_rate_limited', retryable: true, upstreamStatus: 429 });
  });

  it('takes the retry delay from retry-after headers first, then from the message', () => {
    const body = { error: { message: 'Rate limit reached for gpt-4o. Please try again in 84ms.', type: 'tokens' } };
    expect(mapOpenAIError(429, { 'retry-after-ms': '250' }, body, 'oai').retryAfterMs).toBe(250);
    expect(mapOpenAIError(429, { 'retry-after': '2' }, body, 'oai').retryAfterMs).toBe(2000);
    expect(mapOpenAIError(429, {}, body, 'oai').retryAfterMs).toBe(84);
    const groq = { error: { message: 'Rate limit reached. Please try again in 6m0.5s.', type: 'tokens' } };
    expect(mapOpenAIError(429, {}, groq, 'groq').retryAfterMs).toBe(360_500);
  });

  it('does not retry an exhausted quota', () => {
    const body = { error: { message: 'You exceeded your current quota, please check your plan.', type: 'insufficient_quota', code: null } };
    expect(mapOpenAIError(429, { 'retry-after': '1' }, body, 'oai')).toMatchObject({
      code: 'upstream_rate_limited',
      retryable: false,
      retryAfterMs: undefined,
    });
  });

  it('reads DeepSeek JSON served as text and recognises its context-length message', () => {
    const error = mapOpenAIError(400, {}, fixtureText('deepseek-error-400-context.json'), 'ds');
    expect(error).toMatchObject({ code: 'context_length_exceeded', retryable: false });
    expect(error.message).toContain('maximum context length');
  });

  it('recognises the OpenAI context_length_exceeded code', () => {
    const body = { error: { message: 'Too long.', type: 'invalid_request_error', code: 'context_length_exceeded' } };
    expect(mapOpenAIError(400, {}, body, 'oai').code).toBe('context_length_exceeded');
    expect(mapOpenAIError(400, {}, { error: { message: 'Bad tool schema' } }, 'oai').code).toBe('upstream_bad_request');
  });

  it("recognises llama.cpp's exceed_context_size_error as context_length_exceeded", () => {
    const body = readFileSync(new URL('../../../test/fakes/__fixtures__/llamacpp-error-400-context.json', import.meta.url), 'utf8');
    const error = mapOpenAIError(400, {}, body, 'local');
    expect(error).toMatchObject({ code: 'context_length_exceeded', retryable: false, upstreamStatus: 400 });
    expect(error.message).toBe('local returned HTTP 400: request (9412 tokens) exceeds the available context size (8192 tokens), try increasing it');
  });

  it('redacts the DeepSeek key echo', () => {
    const error = mapOpenAIError(401, {}, fixtureText('deepseek-error-401.json'), 'ds');
    expect(error.code).toBe('upstream_authentication');
    expect(error.message).not.toContain('****-key');
  });

  it('treats a DeepSeek 402 (balance) as a non-retryable authentication failure', () => {
    const error = mapOpenAIError(402, {}, '{"error":{"message":"Insufficient Balance","type":"unknown_error"}}', 'ds');
    expect(error).toMatchObject({ code: 'upstream_authentication', retryable: false });
  });

  it('reads Mistral {detail} and {object:"error"} bodies', () => {
    expect(mapOpenAIError(401, {}, JSON.parse(fixtureText('mistral-error-401.json')), 'mis').message).toBe(
      'mis returned HTTP 401: Invalid API Key',
    );
    const rate = mapOpenAIError(429, {}, { message: 'Requests rate limit exceeded' }, 'mis');
    expect(rate).toMatchObject({ code: 'upstream_rate_limited', message: 'mis returned HTTP 429: Requests rate limit exceeded' });
    const bad = mapOpenAIError(400, {}, { object: 'error', message: 'Invalid model', type: 'invalid_model', code: '1500' }, 'mis');
    expect(bad).toMatchObject({ code: 'upstream_bad_request', message: 'mis returned HTTP 400: Invalid model' });
  });

  it('classifies statuses with the shared table', () => {
    const body = { error: { message: 'x', type: 'y' } };
    expect(mapOpenAIError(409, {}, body, 'p')).toMatchObject({ code: 'upstream_server_error', retryable: true });
    expect(mapOpenAIError(504, {}, body, 'p')).toMatchObject({ code: 'upstream_timeout', retryable: true });
  });

  it('never forwards a non-JSON body such as a proxy page', () => {
    const error = mapOpenAIError(502, {}, '<html><body>Bad gateway sk-live-secret</body></html>', 'oai');
    expect(error.message).toBe('oai returned HTTP 502');
  });

  it('redacts keys that appear anywhere in a message', () => {
    const body = { error: { message: 'Key sk-proj-abcdef123456 and AIzaSyA1234567890abcdef are not allowed' } };
    const message = mapOpenAIError(400, {}, body, 'oai').message;
    expect(message).not.toMatch(/sk-proj|AIzaSy/);
  });
});
