import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../core/index.js';
import { anthropicAdapter } from './anthropic-adapter.js';
import { anthropicStreamError } from './map-anthropic-error.js';

const target: Target = {
  provider: { id: 'claude', type: 'anthropic', baseUrl: 'https://api.anthropic.com', headers: {}, options: {} },
  model: 'claude-haiku-4-5',
};

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../wire/anthropic-messages/__fixtures__/${name}`, import.meta.url), 'utf8'));
}

function rateLimit(message: string): unknown {
  return { type: 'error', error: { type: 'rate_limit_error', message } };
}

describe('Anthropic toGatewayError', () => {
  it('maps the recorded 401 to a non-retryable upstream_authentication error', () => {
    const error = anthropicAdapter.toGatewayError(401, { 'x-should-retry': 'false' }, fixture('anthropic-error-401.json'), target);
    expect(error).toMatchObject({ code: 'upstream_authentication', retryable: false, provider: 'claude', upstreamStatus: 401 });
    expect(error.message).toBe('Anthropic returned HTTP 401 (authentication_error): invalid x-api-key');
  });

  it('maps 529 overloaded to a retryable upstream_overloaded error with the retry hint', () => {
    const error = anthropicAdapter.toGatewayError(529, { 'retry-after': '3' }, fixture('anthropic-error-529.json'), target);
    expect(error).toMatchObject({ code: 'upstream_overloaded', retryable: true, retryAfterMs: 3000 });
  });

  it('recognises the recorded prompt-too-long 400 as context_length_exceeded', () => {
    const error = anthropicAdapter.toGatewayError(400, { 'x-should-retry': 'false' }, fixture('anthropic-error-400-context.json'), target);
    expect(error).toMatchObject({ code: 'context_length_exceeded', retryable: false });
    const variant = { type: 'error', error: { type: 'invalid_request_error', message: 'input length and `max_tokens` exceed context limit: 199000 + 8000 > 200000' } };
    expect(anthropicAdapter.toGatewayError(400, {}, variant, target).code).toBe('context_length_exceeded');
    const other = { type: 'error', error: { type: 'invalid_request_error', message: 'messages: text content blocks must be non-empty' } };
    expect(anthropicAdapter.toGatewayError(400, {}, other, target).code).toBe('upstream_bad_request');
  });

  it('keeps 429 retryable with retry-after, even when x-should-retry says false', () => {
    const error = anthropicAdapter.toGatewayError(429, { 'retry-after': '12', 'x-should-retry': 'false' }, rateLimit('Number of request tokens has exceeded your per-minute rate limit'), target);
    expect(error).toMatchObject({ code: 'upstream_rate_limited', retryable: true, retryAfterMs: 12000 });
  });

  it('treats a spend-limit 429 and a 402 billing error as final', () => {
    const spend = anthropicAdapter.toGatewayError(429, {}, rateLimit('Your credit balance is too low to access the Anthropic API.'), target);
    expect(spend).toMatchObject({ code: 'upstream_rate_limited', retryable: false });
    const billing = anthropicAdapter.toGatewayError(402, {}, { type: 'error', error: { type: 'billing_error', message: 'x' } }, target);
    expect(billing).toMatchObject({ code: 'upstream_authentication', retryable: false });
  });

  it('maps the remaining statuses', () => {
    const codes = [403, 404, 408, 413, 500, 503, 504].map((status) => anthropicAdapter.toGatewayError(status, {}, '<html>', target).code);
    expect(codes).toEqual([
      'upstream_authentication',
      'upstream_not_found',
      'upstream_timeout',
      'context_length_exceeded',
      'upstream_server_error',
      'upstream_overloaded',
      'upstream_timeout',
    ]);
    expect(anthropicAdapter.toGatewayError(408, { 'x-should-retry': 'false' }, '', target).retryable).toBe(false);
  });

  it("does not pass an upstream 413 off as the gateway's own request_too_large", () => {
    const body = { type: 'error', error: { type: 'request_too_large', message: 'Request exceeds the maximum allowed number of bytes.' } };
    expect(anthropicAdapter.toGatewayError(413, {}, body, target)).toMatchObject({ code: 'context_length_exceeded', status: 400, upstreamStatus: 413 });
  });

  it('maps an overloaded_error event inside a stream like a 529', () => {
    const error = anthropicStreamError({ type: 'overloaded_error', message: 'Overloaded' }, 'claude');
    expect(error).toMatchObject({ code: 'upstream_overloaded', retryable: true, upstreamStatus: undefined });
  });

  it('never echoes credentials or raw non-JSON bodies', () => {
    const leaky = { type: 'error', error: { type: 'authentication_error', message: 'bad key sk-ant-api03-abcdefghijklmnop' } };
    const error = anthropicAdapter.toGatewayError(401, {}, leaky, target);
    expect(error.message).not.toContain('abcdefghijklmnop');
    expect(anthropicAdapter.toGatewayError(502, {}, '<html>secret page</html>', target).message).toBe('Anthropic returned HTTP 502');
  });
});
