import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { describeRequestLogStoreConformance } from './request-log-store.conformance.js';
import { WorkerRequestLogStore } from './worker-request-log-store.js';

// The worker entry must be compiled JavaScript; the suite's global setup builds dist/ before any test runs.
const workerFile = fileURLToPath(new URL('../../../dist/backends/request-log/request-log-worker.js', import.meta.url));

describeRequestLogStoreConformance('SQLite in a worker thread', async () => {
  const store = new WorkerRequestLogStore('sqlite://:memory:', { workerFile });
  return { store, dispose: () => store.close() };
});

describe('WorkerRequestLogStore', () => {
  it('fails every call with the worker\'s own error when the store cannot open, instead of hanging', async () => {
    const store = new WorkerRequestLogStore('mysql://nowhere', { workerFile });
    await expect(store.migrate()).rejects.toThrow(/Unsupported storage\.url scheme/);
    await expect(store.insertBatch([])).rejects.toThrow(/Unsupported storage\.url scheme/);
    await store.close();
  });

  it('posts a batch a slice per event-loop turn and stores every record of it', async () => {
    let turns = 0;
    const nextTurn = async (): Promise<void> => void (turns += 1);
    const store = new WorkerRequestLogStore('sqlite://:memory:', { workerFile, nextTurn });
    await store.migrate();
    const ids = Array.from({ length: 40 }, (_, i) => `r${String(i).padStart(2, '0')}`);
    await store.insertBatch(ids.map((id, i) => ({ id, startedAt: 1_000 + i, clientFormat: 'openai-chat', stream: false, status: 200, attempts: [], latencyMs: 5, warnings: [] })));
    expect(turns).toBe(4);
    const page = await store.query({ limit: 100 });
    expect(page.records.map((record) => record.id).sort()).toEqual(ids);
    await store.close();
  });
});
