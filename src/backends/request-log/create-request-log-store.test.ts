import { describe, expect, it } from 'vitest';
import { createRequestLogStore } from './create-request-log-store.js';
import { PostgresRequestLogStore } from './postgres-request-log-store.js';
import { SqliteRequestLogStore } from './sqlite-request-log-store.js';

describe('createRequestLogStore', () => {
  it('opens an in-memory SQLite store for sqlite://:memory:', async () => {
    const store = await createRequestLogStore('sqlite://:memory:');
    expect(store).toBeInstanceOf(SqliteRequestLogStore);
    await store.migrate();
    await store.close();
  });

  it('selects Postgres for postgres:// and postgresql:// without connecting', async () => {
    for (const url of ['postgres://u@127.0.0.1:1/db', 'postgresql://u@127.0.0.1:1/db?schema=logs']) {
      const store = await createRequestLogStore(url);
      expect(store).toBeInstanceOf(PostgresRequestLogStore);
      await store.close();
    }
  });

  it('rejects an invalid schema name', async () => {
    await expect(createRequestLogStore('postgres://u@127.0.0.1:1/db?schema=a;drop')).rejects.toThrow(/schema/);
  });

  it('names the unsupported scheme without echoing credentials', async () => {
    const refusal = await createRequestLogStore('mysql://root:hunter2@db/x').catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(RangeError);
    expect(String(refusal)).toMatch(/"mysql:"/);
    expect(String(refusal)).not.toMatch(/hunter2/);
  });

  it('requires a path after sqlite://', async () => {
    await expect(createRequestLogStore('sqlite://')).rejects.toThrow(/needs a path/);
  });
});
