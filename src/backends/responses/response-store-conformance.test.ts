import { describe, it } from 'vitest';
import { dropSchema, scratchSchema } from '../../../test/support/postgres-schema.js';
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

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') {
  console.warn('skipping the Postgres response store: DATABASE_URL unset');
  describe.skip('Postgres response store (DATABASE_URL unset)', () => {
    it('needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test', () => undefined);
  });
} else {
  const url = databaseUrl;
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
}
