import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteRequestLogStore } from '../../backends/request-log/sqlite-request-log-store.js';
import { GatewayError } from '../../core/index.js';
import type { FeedbackEntry, StoredRequestLogRecord } from '../../ports/request-log-store.js';
import { registerAdminRoutes } from './admin-routes.js';

const HOUR = 3_600_000;
const NOW = 1_767_225_600_000 + 30 * 60_000;
const KEY = 'admin-secret';
const auth = { authorization: `Bearer ${KEY}` };

function makeRecord(id: string, startedAt: number, extra: Partial<StoredRequestLogRecord> = {}): StoredRequestLogRecord {
  return {
    id,
    startedAt,
    clientFormat: 'openai-chat',
    requestedModel: 'smart',
    provider: 'oai',
    model: 'gpt-4o',
    stream: false,
    status: 200,
    attempts: [{ provider: 'oai', model: 'gpt-4o', status: 200, outcome: 'ok', latencyMs: 40 }],
    latencyMs: 50,
    warnings: [],
    ...extra,
  };
}

describe('the dashboard admin routes', () => {
  let store: SqliteRequestLogStore;
  let app: FastifyInstance;
  const given: FeedbackEntry[] = [];

  beforeEach(async () => {
    given.length = 0;
    store = new SqliteRequestLogStore(':memory:');
    await store.migrate();
    app = Fastify();
    registerAdminRoutes(app, {
      store,
      adminKey: KEY,
      now: () => NOW,
      dashboard: {
        async giveFeedback(entry) {
          if (entry.requestId === 'unknown') throw new GatewayError('not_found', 'No request unknown');
          given.push(entry);
        },
        async compare(_request, reply) {
          await reply.send({ object: 'comparison' });
        },
      },
    });
  });

  afterEach(async () => {
    await app.close();
    await store.close();
  });

  it('answers traffic per time bucket with bucket edges on multiples of the bucket size, empty buckets zero', async () => {
    const hourStart = Math.floor(NOW / HOUR) * HOUR;
    await store.insertBatch([
      makeRecord('a', hourStart + 1000, { latencyMs: 10, costUsd: 0.5 }),
      makeRecord('b', hourStart + 2000, { latencyMs: 30, status: 502, errorCode: 'all_targets_failed' }),
      makeRecord('c', hourStart - HOUR + 5, { latencyMs: 70, ttftMs: 7 }),
    ]);
    const response = await app.inject({ url: '/admin/stats/series?window=3h&buckets=3', headers: auth });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body).toMatchObject({ from: hourStart + HOUR - 3 * HOUR, to: hourStart + HOUR, bucketMs: HOUR });
    expect(body.data.map((bucket: { count: number }) => bucket.count)).toEqual([0, 1, 2]);
    expect(body.data[2]).toMatchObject({ from: hourStart, errorCount: 1, errorRate: 0.5, latencyMs: { p50: 20 }, costUsd: 0.5 });
    expect(body.data[1]).toMatchObject({ ttftMs: { p50: 7 } });
    expect(body.data[0]).toMatchObject({ count: 0, latencyMs: { p50: 0 }, tokens: { input: 0 } });
  });

  it('rejects a bad window or bucket count naming the parameter', async () => {
    const window = await app.inject({ url: '/admin/stats/series?window=soon', headers: auth });
    expect(window.statusCode).toBe(400);
    expect(window.json().error.message).toMatch(/^window: /);
    const buckets = await app.inject({ url: '/admin/stats/series?buckets=1000', headers: auth });
    expect(buckets.json().error.message).toMatch(/^buckets: /);
  });

  it('groups stats by virtual key and filters the log by whether a fallback fired', async () => {
    const failover = [
      { provider: 'claude', model: 'claude-sonnet-4-5', outcome: 'upstream_overloaded' as const, latencyMs: 5 },
      { provider: 'oai', model: 'gpt-4o', status: 200, outcome: 'ok' as const, latencyMs: 40 },
    ];
    await store.insertBatch([makeRecord('k', NOW - 1000, { keyId: 'key_1', costUsd: 0.25 }), makeRecord('f', NOW - 500, { attempts: failover })]);
    const byKey = (await app.inject({ url: '/admin/stats?group_by=key', headers: auth })).json();
    expect(byKey.data.map((row: { key: string; count: number }) => [row.key, row.count])).toEqual([
      ['(none)', 1],
      ['key_1', 1],
    ]);
    const fellBack = (await app.inject({ url: '/admin/requests?fallback=true', headers: auth })).json();
    expect(fellBack.data.map((record: StoredRequestLogRecord) => record.id)).toEqual(['f']);
    const bad = await app.inject({ url: '/admin/requests?fallback=maybe', headers: auth });
    expect(bad.json().error.message).toBe('fallback: expected true or false');
  });

  it('takes the dashboard ratings as feedback, with the same validation and 404 as /v1/feedback', async () => {
    const rated = await app.inject({ method: 'POST', url: '/admin/feedback', headers: auth, payload: { request_id: 'chatcmpl-r1', score: 0.75 } });
    expect(rated.statusCode).toBe(200);
    expect(rated.json()).toEqual({ object: 'feedback', request_id: 'r1', metric: 'quality', score: 0.75 });
    expect(given).toEqual([{ requestId: 'r1', metric: 'quality', score: 0.75, at: NOW }]);
    const invalid = await app.inject({ method: 'POST', url: '/admin/feedback', headers: auth, payload: { request_id: 'r1', score: 2 } });
    expect(invalid.statusCode).toBe(400);
    expect(invalid.json().error.message).toMatch(/score/);
    const unknown = await app.inject({ method: 'POST', url: '/admin/feedback', headers: auth, payload: { request_id: 'unknown', score: 1 } });
    expect(unknown.statusCode).toBe(404);
  });

  it('needs the admin key for comparisons and ratings', async () => {
    expect((await app.inject({ method: 'POST', url: '/admin/compare', payload: {} })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/admin/feedback', payload: {} })).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/admin/compare', headers: auth, payload: {} })).json()).toEqual({ object: 'comparison' });
  });
});
