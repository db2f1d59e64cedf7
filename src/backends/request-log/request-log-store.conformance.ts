import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AttemptRecord } from '../../core/index.js';
import type { StoredComparison } from '../../ports/comparison.js';
import type { RequestLogStore, StoredRequestLogRecord } from '../../ports/request-log-store.js';

/** A fresh, not yet migrated store, and how to throw it away afterwards. */
export interface StoreUnderTest {
  store: RequestLogStore;
  dispose(): Promise<void>;
}

const FULL_RECORD = JSON.parse(
  readFileSync(new URL('./__fixtures__/request-log-record-full.json', import.meta.url), 'utf8'),
) as StoredRequestLogRecord;

const BASE_TIME = 1_767_225_600_000;

const okAttempt = (provider: string, model: string): AttemptRecord => ({ provider, model, status: 200, outcome: 'ok', latencyMs: 10 });

/** A minimal successful record; tests override what they assert on. */
function makeRecord(id: string, overrides: Partial<StoredRequestLogRecord> = {}): StoredRequestLogRecord {
  return {
    id,
    startedAt: BASE_TIME,
    clientFormat: 'openai-chat',
    requestedModel: 'fast',
    provider: 'oai',
    model: 'gpt-4o-mini',
    stream: false,
    status: 200,
    attempts: [okAttempt('oai', 'gpt-4o-mini')],
    latencyMs: 100,
    warnings: [],
    ...overrides,
  };
}

/** Runs the request log store contract against one backend; every backend must pass it unchanged. */
export function describeRequestLogStoreConformance(name: string, open: () => Promise<StoreUnderTest>): void {
  describe(`${name} request log store conformance`, () => {
    let subject: StoreUnderTest;
    let store: RequestLogStore;

    beforeEach(async () => {
      subject = await open();
      store = subject.store;
      await store.migrate();
    });

    afterEach(async () => {
      await subject.dispose();
    });

    it('treats a second migrate as a no-op that keeps existing rows', async () => {
      await store.insertBatch([makeRecord('r1')]);
      await store.migrate();
      expect((await store.get('r1'))?.id).toBe('r1');
    });

    it('round-trips every field of a record, including cost, JSON columns and bodies', async () => {
      await store.insertBatch([FULL_RECORD]);
      expect(await store.get(FULL_RECORD.id)).toStrictEqual(FULL_RECORD);
    });

    it('keeps absent optional fields absent rather than null or zero', async () => {
      const minimal = makeRecord('minimal', { attempts: [] });
      delete minimal.requestedModel;
      delete minimal.provider;
      delete minimal.model;
      await store.insertBatch([minimal]);
      expect(await store.get('minimal')).toStrictEqual(minimal);
    });

    it('stores text containing NUL characters instead of rejecting the batch', async () => {
      await store.insertBatch([makeRecord('nul', { errorMessage: 'bad\u0000byte', metadata: { task: 'a\u0000b' } })]);
      const stored = await store.get('nul');
      expect(stored?.errorMessage?.replaceAll('\u0000', '')).toBe('badbyte');
      expect(stored?.metadata?.task?.replaceAll('\u0000', '')).toBe('ab');
    });

    it('returns undefined for an unknown id', async () => {
      expect(await store.get('missing')).toBeUndefined();
    });

    it('leaves bodies out of list results', async () => {
      await store.insertBatch([FULL_RECORD]);
      const [listed] = (await store.query({})).records;
      expect(listed?.requestBody).toBeUndefined();
      expect(listed?.responseBody).toBeUndefined();
      expect(listed?.attempts).toEqual(FULL_RECORD.attempts);
    });

    it('never duplicates rows when a batch is retried or repeats an id', async () => {
      await store.insertBatch([makeRecord('a'), makeRecord('b')]);
      await store.insertBatch([makeRecord('a'), makeRecord('b'), makeRecord('c')]);
      await store.insertBatch([makeRecord('d'), makeRecord('d', { status: 500 })]);
      await store.insertBatch([]);
      const { records } = await store.query({});
      expect(records.map((record) => record.id).sort()).toEqual(['a', 'b', 'c', 'd']);
    });

    describe('query', () => {
      beforeEach(async () => {
        await store.insertBatch([
          makeRecord('q1', { startedAt: BASE_TIME + 1000, keyId: 'k1' }),
          makeRecord('q2', { startedAt: BASE_TIME + 2000, requestedModel: 'smart', provider: 'claude', model: 'claude-sonnet-4-5' }),
          makeRecord('q3', {
            startedAt: BASE_TIME + 3000,
            status: 502,
            errorCode: 'all_targets_failed',
            errorMessage: 'All upstream attempts failed: 1) oai/gpt-4o-mini: upstream_server_error 100%_done',
            keyId: 'k1',
          }),
          makeRecord('q4', { startedAt: BASE_TIME + 4000, status: 429, errorCode: 'rate_limited', errorMessage: 'Rate limit reached' }),
          makeRecord('q5', {
            startedAt: BASE_TIME + 5000,
            requestedModel: 'smart',
            provider: 'oai',
            model: 'gpt-4o',
            attempts: [{ provider: 'claude', model: 'claude-sonnet-4-5', outcome: 'upstream_overloaded', latencyMs: 5 }, okAttempt('oai', 'gpt-4o')],
          }),
        ]);
      });

      const ids = async (filter: Parameters<RequestLogStore['query']>[0]): Promise<string[]> =>
        (await store.query(filter)).records.map((record) => record.id);

      it('lists newest first', async () => {
        expect(await ids({})).toEqual(['q5', 'q4', 'q3', 'q2', 'q1']);
      });

      it('filters by time range, from inclusive and to exclusive', async () => {
        expect(await ids({ from: BASE_TIME + 2000, to: BASE_TIME + 4000 })).toEqual(['q3', 'q2']);
      });

      it('filters by requested or served model', async () => {
        expect(await ids({ model: 'smart' })).toEqual(['q5', 'q2']);
        expect(await ids({ model: 'gpt-4o' })).toEqual(['q5']);
      });

      it('filters by provider and key', async () => {
        expect(await ids({ provider: 'claude' })).toEqual(['q2']);
        expect(await ids({ keyId: 'k1' })).toEqual(['q3', 'q1']);
      });

      it('filters by exact status and by ok/error class', async () => {
        expect(await ids({ status: 429 })).toEqual(['q4']);
        expect(await ids({ status: 'error' })).toEqual(['q4', 'q3']);
        expect(await ids({ status: 'ok' })).toEqual(['q5', 'q2', 'q1']);
      });

      it('matches error text case-insensitively and treats wildcards literally', async () => {
        expect(await ids({ text: 'RATE LIMIT' })).toEqual(['q4']);
        expect(await ids({ text: 'all_targets' })).toEqual(['q3']);
        expect(await ids({ text: '100%_done' })).toEqual(['q3']);
        expect(await ids({ text: '0%d' })).toEqual([]);
      });

      it('filters by whether a fallback fired (more than one attempt)', async () => {
        expect(await ids({ fallback: true })).toEqual(['q5']);
        expect(await ids({ fallback: false })).toEqual(['q4', 'q3', 'q2', 'q1']);
      });

      it('combines filters', async () => {
        expect(await ids({ keyId: 'k1', status: 'error', from: BASE_TIME })).toEqual(['q3']);
      });
    });

    it('paginates with a cursor in a stable order, ties broken by id', async () => {
      const records = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'].map((id, index) =>
        makeRecord(id, { startedAt: BASE_TIME + Math.floor(index / 3) * 1000 }),
      );
      await store.insertBatch(records);
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await store.query({ limit: 3, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.records.map((record) => record.id));
        cursor = page.nextCursor;
        pages += 1;
      } while (cursor !== undefined);
      expect(pages).toBe(3);
      expect(seen).toEqual(['p7', 'p6', 'p5', 'p4', 'p3', 'p2', 'p1']);
    });

    it('pages a model filter that matches the requested model, the served one or both, each record once', async () => {
      await store.insertBatch([
        makeRecord('m1', { startedAt: BASE_TIME + 1000, requestedModel: 'gpt-4o', model: 'gpt-4o' }),
        makeRecord('m2', { startedAt: BASE_TIME + 2000, requestedModel: 'smart', model: 'gpt-4o' }),
        makeRecord('m3', { startedAt: BASE_TIME + 3000, requestedModel: 'gpt-4o', model: 'gpt-4o' }),
        makeRecord('m4', { startedAt: BASE_TIME + 4000, requestedModel: 'smart', model: 'claude' }),
        makeRecord('m5', { startedAt: BASE_TIME + 5000, requestedModel: 'gpt-4o', model: 'other' }),
        makeRecord('m6', { startedAt: BASE_TIME + 6000, requestedModel: 'gpt-4o', model: 'gpt-4o', status: 500 }),
      ]);
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store.query({ model: 'gpt-4o', limit: 2, ...(cursor === undefined ? {} : { cursor }) });
        seen.push(...page.records.map((record) => record.id));
        cursor = page.nextCursor;
      } while (cursor !== undefined);
      expect(seen).toEqual(['m6', 'm5', 'm3', 'm2', 'm1']);
      expect((await store.query({ model: 'gpt-4o', status: 'error' })).records.map((record) => record.id)).toEqual(['m6']);
    });

    it('rejects a malformed cursor with a RangeError', async () => {
      await expect(store.query({ cursor: 'not-a-cursor' })).rejects.toBeInstanceOf(RangeError);
    });

    it('aggregates count, error and fallback rates, percentiles, tokens and cost per group', async () => {
      const usage = { inputTokens: 10, cacheReadTokens: 2, cacheWriteTokens: 1, outputTokens: 5, reasoningTokens: 3 };
      const failed: AttemptRecord = { provider: 'claude', model: 'claude-sonnet-4-5', outcome: 'upstream_overloaded', latencyMs: 5 };
      const fallback = [failed, okAttempt('oai', 'gpt-4o')];
      await store.insertBatch([
        makeRecord('g1', { requestedModel: 'smart', latencyMs: 10, ttftMs: 1, usage, costUsd: 0.25 }),
        makeRecord('g2', { requestedModel: 'smart', latencyMs: 20, ttftMs: 2, usage, costUsd: 0.5, attempts: fallback }),
        makeRecord('g3', { requestedModel: 'smart', latencyMs: 30, usage }),
        makeRecord('g4', { requestedModel: 'smart', latencyMs: 40, ttftMs: 4 }),
        makeRecord('g5', {
          requestedModel: 'smart',
          provider: undefined,
          model: undefined,
          latencyMs: 100,
          status: 502,
          errorCode: 'all_targets_failed',
          attempts: [failed, failed],
        }),
        makeRecord('g6', { requestedModel: 'fast', latencyMs: 7 }),
        makeRecord('outside', { requestedModel: 'smart', startedAt: BASE_TIME + 60_000, latencyMs: 9999 }),
      ]);
      const window = { from: BASE_TIME, to: BASE_TIME + 60_000 };
      const byModel = await store.aggregate({ ...window, groupBy: 'model' });
      expect(byModel).toStrictEqual([
        {
          key: 'smart',
          count: 5,
          errorCount: 1,
          errorRate: 0.2,
          fallbackRate: 0.4,
          latencyMs: { p50: 30, p95: 88, p99: 97.6 },
          ttftMs: { p50: 2, p95: 3.8, p99: 3.96 },
          tokens: { input: 30, cacheRead: 6, cacheWrite: 3, output: 15, reasoning: 9 },
          costUsd: 0.75,
        },
        {
          key: 'fast',
          count: 1,
          errorCount: 0,
          errorRate: 0,
          fallbackRate: 0,
          latencyMs: { p50: 7, p95: 7, p99: 7 },
          tokens: { input: 0, cacheRead: 0, cacheWrite: 0, output: 0, reasoning: 0 },
        },
      ]);
      const byProvider = await store.aggregate({ ...window, groupBy: 'provider' });
      expect(byProvider.map((row) => [row.key, row.count, row.errorCount])).toEqual([
        ['oai', 5, 0],
        ['(none)', 1, 1],
      ]);
      expect(await store.aggregate({ from: 0, to: 1, groupBy: 'model' })).toEqual([]);
    });

    it('aggregates per virtual key and over the whole window as one group', async () => {
      await store.insertBatch([
        makeRecord('k1', { keyId: 'key_a', latencyMs: 10, costUsd: 0.5 }),
        makeRecord('k2', { keyId: 'key_a', latencyMs: 30, costUsd: 0.25 }),
        makeRecord('k3', { keyId: 'key_b', latencyMs: 20, status: 500, errorCode: 'internal_error' }),
        makeRecord('k4', { latencyMs: 40 }),
      ]);
      const window = { from: BASE_TIME, to: BASE_TIME + 60_000 };
      const byKey = await store.aggregate({ ...window, groupBy: 'key' });
      expect(byKey.map((row) => [row.key, row.count, row.costUsd])).toEqual([
        ['key_a', 2, 0.75],
        ['(none)', 1, undefined],
        ['key_b', 1, undefined],
      ]);
      const all = await store.aggregate({ ...window, groupBy: 'all' });
      expect(all).toHaveLength(1);
      expect(all[0]).toMatchObject({ key: 'all', count: 4, errorCount: 1, errorRate: 0.25, latencyMs: { p50: 25 }, costUsd: 0.75 });
      expect(await store.aggregate({ from: 0, to: 1, groupBy: 'all' })).toEqual([]);
    });

    it('prunes records older than the cutoff and reports how many', async () => {
      await store.insertBatch([
        makeRecord('old1', { startedAt: BASE_TIME - 2000 }),
        makeRecord('old2', { startedAt: BASE_TIME - 1 }),
        makeRecord('new', { startedAt: BASE_TIME }),
      ]);
      expect(await store.prune(BASE_TIME)).toBe(2);
      expect((await store.query({})).records.map((record) => record.id)).toEqual(['new']);
      expect(await store.prune(BASE_TIME)).toBe(0);
    });

    it('deletes bodies past their own retention while keeping their records, and says they expired', async () => {
      const day = 86_400_000;
      const bodies = { requestBody: { messages: [{ role: 'user', content: 'hi' }] }, responseBody: { choices: [] } };
      await store.insertBatch([
        makeRecord('body-old', { startedAt: BASE_TIME - day, ...bodies }),
        makeRecord('body-edge', { startedAt: BASE_TIME - 1, ...bodies }),
        makeRecord('body-new', { startedAt: BASE_TIME, ...bodies }),
        makeRecord('no-body', { startedAt: BASE_TIME - day }),
      ]);
      expect(await store.pruneBodies(BASE_TIME)).toBe(2);
      const old = await store.get('body-old');
      expect(old).toMatchObject({ id: 'body-old', bodiesExpired: true });
      expect(old?.requestBody).toBeUndefined();
      expect(old?.responseBody).toBeUndefined();
      expect((await store.get('body-edge'))?.bodiesExpired).toBe(true);
      expect(await store.get('body-new')).toMatchObject(bodies);
      expect((await store.get('body-new'))?.bodiesExpired).toBeUndefined();
      expect((await store.get('no-body'))?.bodiesExpired).toBeUndefined();
      expect((await store.query({})).records.map((record) => record.id)).toEqual(['body-new', 'body-edge', 'no-body', 'body-old']);
      expect(await store.pruneBodies(BASE_TIME)).toBe(0);
    });

    it('keeps a response body stored without a request body, and a repeated id keeps the first bodies', async () => {
      await store.insertBatch([makeRecord('only-response', { responseBody: { partial: true } })]);
      await store.insertBatch([makeRecord('only-response', { requestBody: { replaced: true } })]);
      const stored = await store.get('only-response');
      expect(stored?.responseBody).toEqual({ partial: true });
      expect(stored?.requestBody).toBeUndefined();
    });

    it('takes the bodies of pruned records with them', async () => {
      await store.insertBatch([
        makeRecord('gone', { startedAt: BASE_TIME - 1, requestBody: { a: 1 } }),
        makeRecord('kept', { startedAt: BASE_TIME, requestBody: { b: 2 } }),
      ]);
      expect(await store.prune(BASE_TIME)).toBe(1);
      expect(await store.pruneBodies(BASE_TIME + 1)).toBe(1);
      expect(await store.get('gone')).toBeUndefined();
    });

    it('keeps the task class on the record', async () => {
      await store.insertBatch([makeRecord('t1', { taskClass: 'code' }), makeRecord('t2')]);
      expect((await store.get('t1'))?.taskClass).toBe('code');
      expect((await store.get('t2'))?.taskClass).toBeUndefined();
    });

    it('upserts feedback per (request, metric) and summarises it per target, task class and metric', async () => {
      await store.insertBatch([
        makeRecord('f1', { taskClass: 'code' }),
        makeRecord('f2', { taskClass: 'code' }),
        makeRecord('f3', { provider: 'ant', model: 'claude', taskClass: 'summarize' }),
        makeRecord('f4'),
      ]);
      await store.upsertFeedback({ requestId: 'f1', metric: 'quality', score: 0.2, at: BASE_TIME });
      await store.upsertFeedback({ requestId: 'f1', metric: 'quality', score: 1, comment: 'on second look, right', at: BASE_TIME + 5 });
      await store.upsertFeedback({ requestId: 'f2', metric: 'quality', score: 0.5, at: BASE_TIME + 1 });
      await store.upsertFeedback({ requestId: 'f1', metric: 'thumbs', score: 0, at: BASE_TIME + 2 });
      await store.upsertFeedback({ requestId: 'f3', metric: 'quality', score: 1, at: BASE_TIME + 3 });
      await store.upsertFeedback({ requestId: 'f4', metric: 'quality', score: 0, at: BASE_TIME + 4 });
      const rows = await store.feedbackSummary({ from: BASE_TIME, to: BASE_TIME + 10 });
      expect(rows).toEqual([
        { requestedModel: 'fast', provider: 'ant', model: 'claude', taskClass: 'summarize', metric: 'quality', count: 1, meanScore: 1 },
        { requestedModel: 'fast', provider: 'oai', model: 'gpt-4o-mini', taskClass: '(none)', metric: 'quality', count: 1, meanScore: 0 },
        { requestedModel: 'fast', provider: 'oai', model: 'gpt-4o-mini', taskClass: 'code', metric: 'quality', count: 2, meanScore: 0.75 },
        { requestedModel: 'fast', provider: 'oai', model: 'gpt-4o-mini', taskClass: 'code', metric: 'thumbs', count: 1, meanScore: 0 },
      ]);
      expect(await store.feedbackSummary({ from: BASE_TIME + 5, to: BASE_TIME + 10 })).toEqual([
        { requestedModel: 'fast', provider: 'oai', model: 'gpt-4o-mini', taskClass: 'code', metric: 'quality', count: 1, meanScore: 1 },
      ]);
    });

    it('stores comparisons, lists them newest first one page at a time, and reads one back whole', async () => {
      const comparison = (id: string, offset: number): StoredComparison => ({
        id,
        created_at: BASE_TIME + offset,
        models: ['a', 'b'],
        request: { messages: [{ role: 'user', content: 'hi' }] },
        legs: [
          { leg: 0, model: 'a', request_id: `${id}-0`, output: 'hi', latency_ms: 12.5, usage: { input_tokens: 1, output_tokens: 1 }, cost_usd: 0.001 },
          { leg: 1, model: 'b', request_id: `${id}-1`, latency_ms: 3, error: { code: 'upstream_server_error', message: 'All upstream attempts failed' } },
        ],
      });
      for (const [index, id] of ['c1', 'c2', 'c3'].entries()) await store.saveComparison(comparison(id, index));
      await store.saveComparison({ ...comparison('c1', 0), models: ['changed'] });
      const first = await store.listComparisons({ limit: 2 });
      expect(first.comparisons.map((c) => c.id)).toEqual(['c3', 'c2']);
      const second = await store.listComparisons({ limit: 2, cursor: first.nextCursor as string });
      expect(second.comparisons.map((c) => c.id)).toEqual(['c1']);
      expect(second.nextCursor).toBeUndefined();
      expect(await store.getComparison('c1')).toEqual(comparison('c1', 0));
      expect(await store.getComparison('missing')).toBeUndefined();
      await expect(store.listComparisons({ cursor: 'not-a-cursor' })).rejects.toThrow(RangeError);
      const judged: StoredComparison = {
        ...comparison('c4', 4),
        judge: { model: 'judge/m', metric: 'quality', request_id: 'r-judge', scores: [{ leg: 0, model: 'a', score: 0.5, reason: 'fine' }] },
      };
      await store.saveComparison(judged);
      expect(await store.getComparison('c4')).toEqual(judged);
    });
  });
}
