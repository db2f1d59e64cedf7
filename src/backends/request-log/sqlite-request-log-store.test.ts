import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { describeRequestLogStoreConformance } from './request-log-store.conformance.js';
import { SqliteRequestLogStore } from './sqlite-request-log-store.js';
import type { WritePacing } from './write-pacing.js';

describeRequestLogStoreConformance('SQLite (:memory:)', async () => {
  const store = new SqliteRequestLogStore(':memory:');
  return { store, dispose: () => store.close() };
});

describe('SqliteRequestLogStore on disk', () => {
  it('keeps rows across reopening the file and does not re-run applied migrations', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-sqlite-'));
    try {
      const path = join(dir, 'nested', 'log.db');
      const first = new SqliteRequestLogStore(path);
      await first.migrate();
      await first.insertBatch([
        { id: 'kept', startedAt: 1, clientFormat: 'gemini', stream: false, status: 200, attempts: [], latencyMs: 1, warnings: [] },
      ]);
      await first.close();
      const second = new SqliteRequestLogStore(path);
      await second.migrate();
      expect((await second.get('kept'))?.clientFormat).toBe('gemini');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('SQLite retention in bounded batches', () => {
  it('deletes a large backlog in steps and lets other calls run between steps', async () => {
    const store = new SqliteRequestLogStore(':memory:', { pruneBatchRows: 10 });
    await store.migrate();
    const row = (id: string, startedAt: number) => ({ id, startedAt, clientFormat: 'gemini' as const, stream: false, status: 200, attempts: [], latencyMs: 1, warnings: [] });
    await store.insertBatch([...Array.from({ length: 100 }, (_, i) => row(`old-${i}`, i)), row('new', 1_000)]);
    const order: string[] = [];
    const pruning = store.prune(500).then((deleted) => order.push(`pruned ${deleted}`));
    setImmediate(() => void store.get('new').then(() => order.push('query')));
    await pruning;
    expect(order).toEqual(['query', 'pruned 100']);
    expect((await store.query({})).records.map((record) => record.id)).toEqual(['new']);
    await store.close();
  });

  it('deletes expired bodies in steps too, keeping their records', async () => {
    const store = new SqliteRequestLogStore(':memory:', { pruneBatchRows: 10 });
    await store.migrate();
    const row = (id: string, startedAt: number) => ({ id, startedAt, clientFormat: 'gemini' as const, stream: false, status: 200, attempts: [], latencyMs: 1, warnings: [], requestBody: { id } });
    await store.insertBatch([...Array.from({ length: 100 }, (_, i) => row(`old-${i}`, i)), row('new', 1_000)]);
    const order: string[] = [];
    const pruning = store.pruneBodies(500).then((deleted) => order.push(`pruned ${deleted}`));
    setImmediate(() => void store.get('new').then(() => order.push('query')));
    await pruning;
    expect(order).toEqual(['query', 'pruned 100']);
    expect(await store.get('old-5')).toMatchObject({ id: 'old-5', bodiesExpired: true });
    expect((await store.get('new'))?.requestBody).toEqual({ id: 'new' });
    expect((await store.query({ limit: 1000 })).records).toHaveLength(101);
    await store.close();
  });
});

describe('SQLite inserts of many records', () => {
  it('stores every record of a batch larger than one multi-row statement, bodies and repeated ids included, first wins', async () => {
    const store = new SqliteRequestLogStore(':memory:');
    await store.migrate();
    const row = (id: string, extra: { status?: number; requestBody?: unknown } = {}) => ({
      id,
      startedAt: 1_000,
      clientFormat: 'gemini' as const,
      stream: false,
      status: 200,
      attempts: [],
      latencyMs: 1,
      warnings: [],
      ...extra,
    });
    const records = [
      ...Array.from({ length: 70 }, (_, i) => row(`r${i}`)),
      row('with-body', { requestBody: { first: true } }),
      row('r10', { status: 500 }),
      ...Array.from({ length: 60 }, (_, i) => row(`s${i}`)),
      row('with-body', { status: 500, requestBody: { first: false } }),
      row('s59', { status: 500 }),
    ];
    await store.insertBatch(records);
    const stored = (await store.query({ limit: 1000 })).records;
    expect(stored).toHaveLength(131);
    expect(stored.filter((record) => record.status !== 200)).toEqual([]);
    expect((await store.get('with-body'))?.requestBody).toEqual({ first: true });
    await store.close();
  });
});

describe('SQLite writes paced for a shared CPU', () => {
  it('pauses between its 10-row statements inside one transaction: nothing of the batch is visible until all of it is', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-sqlite-'));
    try {
      const path = join(dir, 'log.db');
      let time = 0;
      const seenDuringPauses: number[] = [];
      const pacing: WritePacing = {
        sliceMs: 0.3,
        pauseMs: 1,
        budgetMs: 1000,
        fullBatchRows: 500,
        // The clock moves 0.2 ms per reading, so a slice (0.3 ms) has passed before every other statement.
        now: () => (time += 0.2),
        sleep: () => {
          seenDuringPauses.push(readerRows());
        },
      };
      const writer = new SqliteRequestLogStore(path, { pacing });
      await writer.migrate();
      // Another connection, as another process reading the file would see it.
      const reader = new Database(path, { readonly: true });
      const readerRows = (): number => (reader.prepare('SELECT count(*) AS n FROM request_log').get() as { n: number }).n;
      const row = (id: string) => ({ id, startedAt: 1, clientFormat: 'openai-chat' as const, stream: false, status: 200, attempts: [], latencyMs: 1, warnings: [] });
      await writer.insertBatch(Array.from({ length: 100 }, (_, i) => row(`r-${i}`)));
      expect(seenDuringPauses).toHaveLength(5);
      expect(new Set(seenDuringPauses)).toEqual(new Set([0]));
      expect(readerRows()).toBe(100);
      seenDuringPauses.length = 0;
      await writer.insertBatch(Array.from({ length: 500 }, (_, i) => row(`full-${i}`)));
      expect(seenDuringPauses).toEqual([]);
      await writer.close();
      reader.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
