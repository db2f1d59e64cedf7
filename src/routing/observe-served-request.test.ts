import { describe, expect, it } from 'vitest';
import type { RequestLogRecord } from '../ports/request-log.js';
import { observeServedRequest } from './observe-served-request.js';

const record = (extra: Partial<RequestLogRecord>): RequestLogRecord => ({
  id: 'r',
  startedAt: 0,
  clientFormat: 'openai-chat',
  stream: true,
  status: 200,
  latencyMs: 2000,
  warnings: [],
  attempts: [
    { provider: 'a', model: 'm', outcome: 'upstream_overloaded', latencyMs: 300, startOffsetMs: 0, retryWaitMs: 0 },
    { provider: 'b', model: 'm', outcome: 'ok', latencyMs: 200, startOffsetMs: 400, retryWaitMs: 0 },
  ],
  usage: { outputTokens: 90, reasoningTokens: 10 },
  ...extra,
});

describe('what a served request says about its deployment', () => {
  it("times a stream by its serving attempt: first content at the attempt's latency, the end at the request's end", () => {
    expect(observeServedRequest(record({}))).toEqual({ deployment: 'b/m', stream: true, ttftMs: 200, totalMs: 1600, outputTokens: 100 });
  });

  it('times a whole answer by its serving attempt alone', () => {
    expect(observeServedRequest(record({ stream: false }))).toMatchObject({ deployment: 'b/m', ttftMs: 200, totalMs: 200 });
  });

  it('says nothing about failed requests or streams that failed after commit', () => {
    expect(observeServedRequest(record({ status: 502, errorCode: 'all_targets_failed' }))).toBeUndefined();
    expect(observeServedRequest(record({ errorCode: 'upstream_timeout' }))).toBeUndefined();
  });
});
