import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteRequestLogStore } from '../../backends/request-log/sqlite-request-log-store.js';
import type { RequestLogStore, StoredRequestLogRecord } from '../../ports/request-log-store.js';
import { buildAttemptTimeline, registerAdminRoutes } from './admin-routes.js';

const NOW = 1_767_225_600_000;
const KEY = 'admin-secret';
const auth = { authorization: `Bearer ${KEY}` };

function makeRecord(id: string, extra: Partial<StoredRequestLogRecord> = {}): StoredRequestLogRecord {
  return {
    id,
    startedAt: NOW - 60_000,
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

describe('admin routes', () => {
  let store: SqliteRequestLogStore;
  let app: FastifyInstance;

  beforeEach(async () => {
    store = new SqliteRequestLogStore(':memory:');
    await store.migrate();
    app = Fastify();
    registerAdminRoutes(app, { store, adminKey: KEY, now: () => NOW });
  });

  afterEach(async () => {
    await app.close();
    await store.close();
  });

  it('is disabled with a 403 that says how to enable it when no admin key is configured', async () => {
    const bare = Fastify();
    registerAdminRoutes(bare, { store });
    const response = await bare.inject({ url: '/admin/requests', headers: auth });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.message).toMatch(/server\.admin_key.*SWITCHYARD_ADMIN_KEY/);
    await bare.close();
  });

  it('answers 401 for a missing or wrong key and accepts Bearer or x-admin-key', async () => {
    expect((await app.inject({ url: '/admin/requests' })).statusCode).toBe(401);
    expect((await app.inject({ url: '/admin/requests', headers: { authorization: 'Bearer nope' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/admin/requests', headers: { 'x-admin-key': 'nope' } })).statusCode).toBe(401);
    expect((await app.inject({ url: '/admin/requests', headers: auth })).statusCode).toBe(200);
    expect((await app.inject({ url: '/admin/requests', headers: { 'x-admin-key': KEY } })).statusCode).toBe(200);
  });

  it('lists requests with filters and follows the cursor to the end', async () => {
    await store.insertBatch([
      makeRecord('a', { startedAt: NOW - 3000 }),
      makeRecord('b', { startedAt: NOW - 2000, status: 502, errorCode: 'all_targets_failed', errorMessage: 'All upstream attempts failed', keyId: 'k1' }),
      makeRecord('c', { startedAt: NOW - 1000, provider: 'claude', keyId: 'k1' }),
    ]);
    const filtered = await app.inject({ url: '/admin/requests?key=k1&status=error&q=upstream', headers: auth });
    expect(filtered.json().data.map((record: StoredRequestLogRecord) => record.id)).toEqual(['b']);
    const byProvider = await app.inject({ url: `/admin/requests?provider=claude&from=${NOW - 1000}&to=${NOW}`, headers: auth });
    expect(byProvider.json().data.map((record: StoredRequestLogRecord) => record.id)).toEqual(['c']);

    const first = (await app.inject({ url: '/admin/requests?limit=2', headers: auth })).json();
    expect(first.data.map((record: StoredRequestLogRecord) => record.id)).toEqual(['c', 'b']);
    const second = (await app.inject({ url: `/admin/requests?limit=2&cursor=${first.nextCursor}`, headers: auth })).json();
    expect(second).toMatchObject({ data: [{ id: 'a' }], nextCursor: null });
  });

  it('accepts ISO 8601 times and rejects bad parameters naming the field', async () => {
    const iso = await app.inject({ url: `/admin/requests?from=${new Date(NOW - 5000).toISOString()}`, headers: auth });
    expect(iso.statusCode).toBe(200);
    for (const [query, field] of [
      ['status=teapot', 'status'],
      ['cursor=zzz', 'cursor'],
      ['limit=0', 'limit'],
      ['from=yesterday', 'from'],
    ]) {
      const response = await app.inject({ url: `/admin/requests?${query}`, headers: auth });
      expect(response.statusCode).toBe(400);
      expect(response.json().error.message).toMatch(new RegExp(`^${field}: `));
    }
  });

  it('returns one request with its attempt timeline, or 404', async () => {
    await store.insertBatch([
      makeRecord('r1', {
        attempts: [
          { provider: 'claude', model: 'sonnet', outcome: 'upstream_overloaded', status: 529, latencyMs: 30, startOffsetMs: 2 },
          { provider: 'oai', model: 'gpt-4o', outcome: 'ok', status: 200, latencyMs: 40, retryWaitMs: 10 },
        ],
      }),
    ]);
    const response = await app.inject({ url: '/admin/requests/r1', headers: auth });
    expect(response.statusCode).toBe(200);
    expect(response.json().timeline.map((entry: { startMs: number; endMs: number }) => [entry.startMs, entry.endMs])).toEqual([
      [2, 32],
      [42, 82],
    ]);
    expect((await app.inject({ url: '/admin/requests/missing', headers: auth })).statusCode).toBe(404);
  });

  it('aggregates over a window ending now, per model by default or per provider', async () => {
    await store.insertBatch([
      makeRecord('s1'),
      makeRecord('s2', { provider: 'claude', status: 500 }),
      makeRecord('old', { startedAt: NOW - 2 * 3_600_000 }),
    ]);
    const byModel = (await app.inject({ url: '/admin/stats', headers: auth })).json();
    expect(byModel).toMatchObject({ from: NOW - 3_600_000, to: NOW, groupBy: 'model', data: [{ key: 'smart', count: 2, errorRate: 0.5 }] });
    const byProvider = (await app.inject({ url: '/admin/stats?window=3h&group_by=provider', headers: auth })).json();
    expect(byProvider.data.map((row: { key: string; count: number }) => [row.key, row.count])).toEqual([
      ['oai', 2],
      ['claude', 1],
    ]);
    const bad = await app.inject({ url: '/admin/stats?window=forever', headers: auth });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/^window: /);
  });

  it('answers 503 without details when the store fails', async () => {
    const failing = { query: () => Promise.reject(new Error('password authentication failed for user "x"')) } as unknown as RequestLogStore;
    const broken = Fastify();
    registerAdminRoutes(broken, { store: failing, adminKey: KEY });
    const response = await broken.inject({ url: '/admin/requests', headers: auth });
    expect(response.statusCode).toBe(503);
    expect(response.body).not.toMatch(/password/);
    await broken.close();
  });
});

describe('buildAttemptTimeline', () => {
  it('places attempts without a recorded start after the previous one plus its retry wait', () => {
    const timeline = buildAttemptTimeline([
      { provider: 'a', model: 'm', outcome: 'upstream_timeout', latencyMs: 100 },
      { provider: 'a', model: 'm', outcome: 'ok', latencyMs: 50, retryWaitMs: 25 },
    ]);
    expect(timeline.map((entry) => [entry.index, entry.startMs, entry.endMs])).toEqual([
      [0, 0, 100],
      [1, 125, 175],
    ]);
  });
});
