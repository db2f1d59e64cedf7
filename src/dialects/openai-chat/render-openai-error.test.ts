import { describe, expect, it } from 'vitest';
import { AllTargetsFailedError, GatewayError } from '../../core/index.js';
import { renderOpenAIError } from './render-openai-error.js';

describe('renderOpenAIError', () => {
  it('renders an invalid request with its param and no retry-after', () => {
    const error = new GatewayError('invalid_request', 'Invalid type at model: expected string', { param: 'model' });
    expect(renderOpenAIError(error)).toEqual({
      status: 400,
      body: {
        error: {
          message: 'Invalid type at model: expected string',
          type: 'invalid_request_error',
          code: 'invalid_request',
          param: 'model',
        },
      },
      headers: {},
    });
  });

  it('uses the error table type and a null param, with retry-after rounded up to whole seconds', () => {
    const rendered = renderOpenAIError(new GatewayError('rate_limited', 'Rate limit reached', { retryAfterMs: 1200 }));
    expect(rendered.status).toBe(429);
    expect(rendered.body).toEqual({
      error: { message: 'Rate limit reached', type: 'rate_limit_error', code: 'rate_limited', param: null },
    });
    expect(rendered.headers).toEqual({ 'retry-after': '2' });
  });

  it('renders every-target-failed as a 502 server_error listing the attempts', () => {
    const error = new AllTargetsFailedError([
      { provider: 'oai', model: 'gpt-4o', status: 500, outcome: 'upstream_server_error', latencyMs: 10 },
      { provider: 'claude', model: 'sonnet', outcome: 'upstream_connection_error', latencyMs: 5 },
    ]);
    const rendered = renderOpenAIError(error);
    expect(rendered.status).toBe(502);
    expect(rendered.body).toMatchObject({ error: { type: 'server_error', code: 'all_targets_failed' } });
    expect(JSON.stringify(rendered.body)).toContain('oai/gpt-4o');
  });

  it('renders budget exhaustion as insufficient_quota', () => {
    const rendered = renderOpenAIError(new GatewayError('budget_exceeded', 'Budget exceeded'));
    expect(rendered.body).toMatchObject({ error: { type: 'insufficient_quota', code: 'budget_exceeded' } });
  });
});
