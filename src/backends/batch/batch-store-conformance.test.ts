import { describeWithPostgres, storeInScratchSchema } from '../../../test/support/postgres-schema.js';
import { describeBatchStoreConformance } from './batch-store.conformance.js';
import { PostgresBatchStore } from './postgres-batch-store.js';
import { SqliteBatchStore } from './sqlite-batch-store.js';

describeBatchStoreConformance('SQLite (:memory:)', async () => {
  const store = new SqliteBatchStore(':memory:');
  await store.migrate();
  return { store, dispose: () => store.close() };
});

describeWithPostgres('the Postgres batch store', (url) => {
  describeBatchStoreConformance('Postgres', () =>
    storeInScratchSchema(url, 'switchyard_batches', (schema) => new PostgresBatchStore({ connectionString: url, schema })),
  );
});
