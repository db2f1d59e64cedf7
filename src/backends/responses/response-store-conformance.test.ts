import { describeWithPostgres, dropSchema, scratchSchema } from '../../../test/support/postgres-schema.js';
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
  describeResponseStoreConformance('Postgres', async () => {
    const schema = scratchSchema('switchyard_responses');
    const store = new PostgresRequestLogStore({ connectionString: url, schema });
    await store.migrate();
    return {
      store,
      async dispose() {
        await store.close();
        await dropSchema(url, schema);
      },
    };
  });
});
