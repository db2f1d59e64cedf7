import { describe, expect, it } from 'vitest';
import { RequestLogRejectedError } from '../../ports/request-log-store.js';
import type { StoredRequestLogRecord } from '../../ports/request-log-store.js';
import { decodeRecordBatch, encodeRecordBatch, fromWireError, toWireError } from './worker-store-protocol.js';

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

describe('record batches crossing the request log worker boundary as JSON', () => {
  const served: StoredRequestLogRecord = {
    id: 'r1',
    startedAt: 1_767_000_000_000,
    clientFormat: 'openai-chat',
    stream: false,
    status: 200,
    attempts: [{ provider: 'up', model: 'm', outcome: 'ok', latencyMs: 47, startOffsetMs: 0, retryWaitMs: 0 }],
    latencyMs: 52.25,
    warnings: [],
    requestedModel: 'up/m',
    provider: 'up',
    model: 'm',
    usage: { raw: { prompt_tokens: 42 }, inputTokens: 42, outputTokens: 11 },
    finishReason: { unified: 'stop', raw: 'stop' },
    ttftMs: 47,
    overheadMs: 5.35,
    costUsd: 0.0001,
    metadata: { team: 'a\ud800b' },
    routing: [{ providerId: 'up', model: 'm', action: 'try', reason: 'fallback order' }],
    requestBody: { messages: [{ role: 'user', content: 'hi', extra: undefined }] },
  };

  it('arrives as the structured clone would deliver it (absent optional fields read the same)', () => {
    const text = encodeRecordBatch([served, { ...served, id: 'r2', costUsd: undefined }]);
    expect(text).toBeTypeOf('string');
    expect(decodeRecordBatch(text ?? '')).toEqual(structuredClone([served, { ...served, id: 'r2', costUsd: undefined }]));
  });

  it('is not used when JSON would change a scalar column or cannot encode the batch', () => {
    expect(encodeRecordBatch([served, { ...served, costUsd: Number.NaN }])).toBeUndefined();
    expect(encodeRecordBatch([{ ...served, usage: { outputTokens: Number.POSITIVE_INFINITY } }])).toBeUndefined();
    expect(encodeRecordBatch([{ ...served, requestBody: { size: 1n } }])).toBeUndefined();
  });
});
