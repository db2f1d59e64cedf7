import { startOutageProxy } from '../../../test/support/tcp-outage-proxy.js';
import { describe, expect, it, vi } from 'vitest';
import { describeWithPostgres, dropSchema, scratchSchema, storeInScratchSchema } from '../../../test/support/postgres-schema.js';
import { BatchingRequestLog } from './batching-request-log.js';
import { PostgresRequestLogStore } from './postgres-request-log-store.js';
import { describeRequestLogStoreConformance } from './request-log-store.conformance.js';

describeWithPostgres('the Postgres request log store', (url) => {
  // The conformance suite wants a store not yet migrated: it migrates it itself.
  describeRequestLogStoreConformance('Postgres', () =>
    storeInScratchSchema(url, 'switchyard_test', (schema) => new PostgresRequestLogStore({ connectionString: url, schema }), { migrate: false }),
  );

  describe('Postgres outage', () => {
    it('keeps accepting records while the server is unreachable and writes each once when it returns', async () => {
      const schema = scratchSchema('switchyard_test');
      const direct = new PostgresRequestLogStore({ connectionString: url, schema });
      await direct.migrate();
      const proxy = await startOutageProxy(new URL(url));
      const proxied = new URL(url);
      proxied.hostname = '127.0.0.1';
      proxied.port = String(proxy.port);
      const store = new PostgresRequestLogStore({ connectionString: proxied.toString(), schema });
      const log = new BatchingRequestLog(store, { batchSize: 10, flushIntervalMs: 1, retryBaseMs: 5, retryMaxMs: 20 });
      const record = (id: string) => ({ id, startedAt: 5_000, clientFormat: 'openai-chat' as const, stream: false, status: 200, attempts: [], latencyMs: 1, warnings: [] });
      try {
        proxy.setUp(false);
        for (let i = 0; i < 25; i += 1) log.record(record(`down-${i}`));
        await vi.waitFor(() => expect(log.stats().failures).toBeGreaterThanOrEqual(2), { timeout: 10_000 });
        for (let i = 0; i < 25; i += 1) log.record(record(`still-down-${i}`));
        proxy.setUp(true);
        await log.flush();
        expect(log.stats()).toMatchObject({ depth: 0, written: 50, dropped: 0 });
        const [row] = await direct.aggregate({ from: 0, to: 10_000, groupBy: 'model' });
        expect(row?.count).toBe(50);
      } finally {
        await store.close();
        await direct.close();
        await proxy.close();
        await dropSchema(url, schema);
      }
    });
  });
});
