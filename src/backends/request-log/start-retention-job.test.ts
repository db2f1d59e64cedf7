import { describe, expect, it, vi } from 'vitest';
import type { StoredRequestLogRecord } from '../../ports/request-log-store.js';
import { SqliteRequestLogStore } from './sqlite-request-log-store.js';
import { startRetentionJob } from './start-retention-job.js';

describe('startRetentionJob', () => {
  it('deletes records older than the retention period right away and on every interval', async () => {
    const store = new SqliteRequestLogStore(':memory:');
    await store.migrate();
    const record: Omit<StoredRequestLogRecord, 'id' | 'startedAt'> = {
      clientFormat: 'openai-chat',
      stream: false,
      status: 200,
      attempts: [],
      latencyMs: 1,
      warnings: [],
    };
    await store.insertBatch([
      { ...record, id: 'old', startedAt: 1_000 },
      { ...record, id: 'recent', startedAt: 9_500 },
    ]);
    const pruned: number[] = [];
    const stop = startRetentionJob((olderThanMs) => store.prune(olderThanMs), 1_000, 60_000, { now: () => 10_000, onPruned: (count) => pruned.push(count) });
    await vi.waitFor(() => expect(pruned).toEqual([1]));
    stop();
    expect((await store.query({})).records.map((row) => row.id)).toEqual(['recent']);
    await store.close();
  });

  it('reports a failed run and keeps going', async () => {
    const errors: unknown[] = [];
    const stop = startRetentionJob(() => Promise.reject(new Error('store down')), 1_000, 5, { onError: (error) => errors.push(error) });
    await vi.waitFor(() => expect(errors.length).toBeGreaterThanOrEqual(2));
    stop();
  });
});
