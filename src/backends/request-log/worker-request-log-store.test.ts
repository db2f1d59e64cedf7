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
});
