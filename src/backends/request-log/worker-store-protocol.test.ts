import { describe, expect, it } from 'vitest';
import { RequestLogRejectedError } from '../../ports/request-log-store.js';
import { fromWireError, toWireError } from './worker-store-protocol.js';

const roundTrip = (error: unknown): Error => fromWireError(structuredClone(toWireError(error)));

describe('errors crossing the request log worker boundary', () => {
  it('keeps a rejected batch a RequestLogRejectedError, so the queue drops it instead of retrying', () => {
    const back = roundTrip(new RequestLogRejectedError('SQLite rejected the batch (SQLITE_TOOBIG)'));
    expect(back).toBeInstanceOf(RequestLogRejectedError);
    expect(back.message).toBe('SQLite rejected the batch (SQLITE_TOOBIG)');
  });

  it('keeps RangeError and TypeError, which the admin API answers with 400', () => {
    expect(roundTrip(new RangeError('cursor is malformed'))).toBeInstanceOf(RangeError);
    expect(roundTrip(new TypeError('bad filter'))).toBeInstanceOf(TypeError);
  });

  it('keeps the name and message of any other error, and turns a thrown non-error into one', () => {
    const outage = roundTrip(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { name: 'ConnectionError' }));
    expect(outage.name).toBe('ConnectionError');
    expect(outage.message).toBe('connect ECONNREFUSED 127.0.0.1:5432');
    expect(roundTrip('plain string').message).toBe('plain string');
  });
});
