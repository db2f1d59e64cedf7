import { describe, it } from 'vitest';
import { dropSchema, scratchSchema } from '../../../test/support/postgres-schema.js';
import { describeBatchStoreConformance } from './batch-store.conformance.js';
import { PostgresBatchStore } from './postgres-batch-store.js';
import { SqliteBatchStore } from './sqlite-batch-store.js';

describeBatchStoreConformance('SQLite (:memory:)', async () => {
  const store = new SqliteBatchStore(':memory:');
  await store.migrate();
  return { store, dispose: () => store.close() };
});

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') {
  console.warn('skipping the Postgres batch store: DATABASE_URL unset');
  describe.skip('Postgres batch store (DATABASE_URL unset)', () => {
    it('needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test', () => undefined);
  });
} else {
  const url = databaseUrl;
  describeBatchStoreConformance('Postgres', async () => {
    const schema = scratchSchema('switchyard_batches');
    const store = new PostgresBatchStore({ connectionString: url, schema });
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
