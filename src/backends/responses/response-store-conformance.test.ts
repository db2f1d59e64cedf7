import { describeWithPostgres, storeInScratchSchema } from '../../../test/support/postgres-schema.js';
import { PostgresRequestLogStore } from '../request-log/postgres-request-log-store.js';
import { SqliteRequestLogStore } from '../request-log/sqlite-request-log-store.js';
import { MemoryResponseStore } from './memory-response-store.js';
import { describeResponseStoreConformance } from './response-store.conformance.js';

describeResponseStoreConformance('memory', async () => ({ store: new MemoryResponseStore(), dispose: async () => undefined }));

describeResponseStoreConformance('SQLite (:memory:)', async () => {
  const store = new SqliteRequestLogStore(':memory:');
  await store.migrate();
  return { store, dispose: () => store.close() };
});

describeWithPostgres('the Postgres response store', (url) => {
  describeResponseStoreConformance('Postgres', () =>
    storeInScratchSchema(url, 'switchyard_responses', (schema) => new PostgresRequestLogStore({ connectionString: url, schema })),
  );
});
