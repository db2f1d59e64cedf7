import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeRequestLogStoreConformance } from './request-log-store.conformance.js';
import { SqliteRequestLogStore } from './sqlite-request-log-store.js';

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
