import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../core/index.js';
import { geminiAdapter } from './gemini-adapter.js';

const target: Target = {
  provider: { id: 'gem', type: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', headers: {}, options: {} },
  model: 'gemini-2.5-flash',
};

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../wire/gemini/__fixtures__/${name}`, import.meta.url), 'utf8'));
}

function errorBody(code: number, status: string, message: string): unknown {
  return { error: { code, status, message } };
}

describe('gemini toGatewayError', () => {
  it('maps a 400 API_KEY_INVALID to an upstream authentication failure', () => {
    const error = geminiAdapter.toGatewayError(400, {}, fixture('gemini-error-400-apikey.json'), target);
    expect(error).toMatchObject({ code: 'upstream_authentication', retryable: false, provider: 'gem', upstreamStatus: 400 });
    expect(error.message).toContain('API key not valid');
  });

  it('maps a 429 RESOURCE_EXHAUSTED with RetryInfo 48s to a rate limit with retryAfterMs', () => {
    const error = geminiAdapter.toGatewayError(429, {}, fixture('gemini-error-429.json'), target);
    expect(error).toMatchObject({ code: 'upstream_rate_limited', retryable: true, retryAfterMs: 48_000 });
  });

  it('falls back to the Retry-After header when the body has no RetryInfo', () => {
    const error = geminiAdapter.toGatewayError(429, { 'retry-after': '7' }, errorBody(429, 'RESOURCE_EXHAUSTED', 'slow down'), target);
    expect(error.retryAfterMs).toBe(7_000);
  });

  it('recognises an oversized prompt as context_length_exceeded', () => {
    const body = errorBody(400, 'INVALID_ARGUMENT', 'The input token count (1250074) exceeds the maximum number of tokens allowed (1048576).');
    expect(geminiAdapter.toGatewayError(400, {}, body, target).code).toBe('context_length_exceeded');
  });

  it.each([
    [400, 'INVALID_ARGUMENT', 'upstream_bad_request', false],
    [401, 'UNAUTHENTICATED', 'upstream_authentication', false],
    [403, 'PERMISSION_DENIED', 'upstream_authentication', false],
    [404, 'NOT_FOUND', 'upstream_not_found', false],
    [500, 'INTERNAL', 'upstream_server_error', true],
    [503, 'UNAVAILABLE', 'upstream_overloaded', true],
    [504, 'DEADLINE_EXCEEDED', 'upstream_timeout', true],
  ])('maps HTTP %i %s to %s', (status, canonical, code, retryable) => {
    const error = geminiAdapter.toGatewayError(status, {}, errorBody(status, canonical, 'failure'), target);
    expect(error).toMatchObject({ code, retryable });
  });

  it('reads a body wrapped in a one-element array', () => {
    const body = [errorBody(503, 'UNAVAILABLE', 'This model is currently experiencing high demand.')];
    const error = geminiAdapter.toGatewayError(503, {}, body, target);
    expect(error.message).toContain('high demand');
  });

  it('never echoes an API key from the upstream message', () => {
    const body = errorBody(400, 'INVALID_ARGUMENT', 'Bad request for https://x.test/v1?key=AIzaSyA1234567890abcdefghijk and AIzaSyZZZZZZZZZZZZZZZZ');
    const error = geminiAdapter.toGatewayError(400, {}, body, target);
    expect(error.message).not.toMatch(/AIza/);
  });

  it('summarises a non-JSON body by status alone', () => {
    const error = geminiAdapter.toGatewayError(502, {}, '<html>Bad Gateway</html>', target);
    expect(error).toMatchObject({ code: 'upstream_server_error', message: 'Gemini error (HTTP 502)' });
  });
});
