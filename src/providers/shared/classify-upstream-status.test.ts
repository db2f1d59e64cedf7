import { describe, expect, it } from 'vitest';
import { classifyUpstreamError, UPSTREAM_STATUS_TABLE } from './classify-upstream-status.js';

describe('classifyUpstreamError: one row per status', () => {
  it.each([
    [400, 'upstream_bad_request', false],
    [401, 'upstream_authentication', false],
    [402, 'upstream_authentication', false],
    [403, 'upstream_authentication', false],
    [404, 'upstream_not_found', false],
    [408, 'upstream_timeout', true],
    [409, 'upstream_server_error', true],
    [413, 'context_length_exceeded', false],
    [422, 'upstream_bad_request', false],
    [429, 'upstream_rate_limited', true],
    [500, 'upstream_server_error', true],
    [502, 'upstream_server_error', true],
    [503, 'upstream_overloaded', true],
    [504, 'upstream_timeout', true],
    [529, 'upstream_overloaded', true],
  ] as const)('HTTP %i is %s (retryable %s)', (status, code, retryable) => {
    expect(classifyUpstreamError(status, {})).toEqual({ code, retryable, retryAfterMs: undefined });
  });

  it('has exactly the rows tested above', () => {
    expect(Object.keys(UPSTREAM_STATUS_TABLE).map(Number)).toEqual([400, 401, 402, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504, 529]);
  });

  it('treats an unlisted 4xx as a bad request and an unlisted 5xx as a retryable server error', () => {
    expect(classifyUpstreamError(418, {})).toMatchObject({ code: 'upstream_bad_request', retryable: false });
    expect(classifyUpstreamError(599, {})).toMatchObject({ code: 'upstream_server_error', retryable: true });
  });
});

describe('classifyUpstreamError: headers', () => {
  it.each([
    ['retry-after-ms', { 'retry-after-ms': '250', 'retry-after': '9' }, 250],
    ['x-ms-retry-after-ms', { 'x-ms-retry-after-ms': '80', 'retry-after': '9' }, 80],
    ['retry-after in seconds', { 'retry-after': '2' }, 2000],
  ])('reads the retry hint from %s', (_name, headers, ms) => {
    expect(classifyUpstreamError(429, headers).retryAfterMs).toBe(ms);
  });

  it('gives no hint for a failure that is not retried', () => {
    expect(classifyUpstreamError(400, { 'retry-after': '2' }).retryAfterMs).toBeUndefined();
  });

  it('lets x-should-retry: false end a 408 or 409, but not a 429 or a 5xx', () => {
    const final = { 'x-should-retry': 'false' };
    expect(classifyUpstreamError(408, final).retryable).toBe(false);
    expect(classifyUpstreamError(409, final).retryable).toBe(false);
    expect(classifyUpstreamError(429, final).retryable).toBe(true);
    expect(classifyUpstreamError(503, final).retryable).toBe(true);
  });
});

describe('classifyUpstreamError: what the provider read from the body', () => {
  it('takes a more precise code from the body', () => {
    expect(classifyUpstreamError(400, {}, { code: 'context_length_exceeded' })).toMatchObject({ code: 'context_length_exceeded', retryable: false });
    expect(classifyUpstreamError(500, {}, { code: 'upstream_overloaded' })).toMatchObject({ code: 'upstream_overloaded', retryable: true });
  });

  it('makes a final 429 (spend limit, quota) not retryable and drops its hint', () => {
    expect(classifyUpstreamError(429, { 'retry-after': '1' }, { final: true })).toEqual({
      code: 'upstream_rate_limited',
      retryable: false,
      retryAfterMs: undefined,
    });
  });

  it('uses a hint from the body only when the headers give none', () => {
    expect(classifyUpstreamError(429, {}, { retryAfterMs: 84 }).retryAfterMs).toBe(84);
    expect(classifyUpstreamError(429, { 'retry-after': '1' }, { retryAfterMs: 84 }).retryAfterMs).toBe(1000);
  });
});
