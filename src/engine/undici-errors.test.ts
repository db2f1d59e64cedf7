import { describe, expect, it } from 'vitest';
import { errors } from 'undici';
import { GatewayError } from '../core/index.js';
import { attemptFailure, transportError } from './undici-errors.js';

const running = { aborted: false, reason: undefined };

describe('transport failures keep their phase', () => {
  it.each([
    [new errors.ConnectTimeoutError(), 'upstream_timeout', 'connect'],
    [new errors.HeadersTimeoutError(), 'upstream_timeout', 'headers'],
    [new errors.BodyTimeoutError(), 'upstream_stalled', 'stall'],
  ])('%s becomes %s in phase %s', (error, code, phase) => {
    const failure = transportError(error, 'up', running);
    expect(failure.code).toBe(code);
    expect(failure.phase).toBe(phase);
  });

  it('a refused or reset connection is a connection error without a phase', () => {
    const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const failure = transportError(refused, 'up', running);
    expect(failure.code).toBe('upstream_connection_error');
    expect(failure.phase).toBeUndefined();
  });
});

describe('an attempt\'s failure is blamed where it belongs', () => {
  it('an exception of the gateway\'s own (a stack overflow serialising input) is internal_error, not retryable', () => {
    const failure = attemptFailure(new RangeError('Maximum call stack size exceeded'), 'up', running);
    expect(failure.code).toBe('internal_error');
    expect(failure.status).toBe(500);
    expect(failure.retryable).toBe(false);
  });

  it('an aborted attempt fails with its abort reason whatever was thrown', () => {
    const reason = new GatewayError('upstream_timeout', 'total deadline', { phase: 'total' });
    expect(attemptFailure(new Error('aborted'), 'up', { aborted: true, reason })).toBe(reason);
  });
});
