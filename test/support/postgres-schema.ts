import { describe, it } from 'vitest';
import pg from 'pg';

let counter = 0;

/** A schema name no other test, run or process uses, so parallel and repeated runs stay apart. */
export function scratchSchema(prefix: string): string {
  counter += 1;
  return `${prefix}_${process.pid}_${Date.now().toString(36)}_${counter}`;
}

/** Drops a test's schema with everything in it. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
}

/**
 * Declares `suites` with the Postgres URL when DATABASE_URL is set; otherwise one skipped suite named `label` that
 * says how to run it, so a run without Postgres shows what it left out.
 */
export function describeWithPostgres(label: string, suites: (url: string) => void): void {
  const url = process.env.DATABASE_URL;
  if (url !== undefined && url !== '') {
    suites(url);
    return;
  }
  console.warn(`skipping ${label}: DATABASE_URL unset`);
  describe.skip(`${label} (DATABASE_URL unset)`, () => {
    it('needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test', () => undefined);
  });
}

/** A store opened in a scratch schema (migrated unless told not to), and the disposal that closes it and drops the schema. */
export async function storeInScratchSchema<S extends { migrate(): Promise<void>; close(): Promise<void> }>(
  url: string,
  prefix: string,
  open: (schema: string) => S,
  { migrate = true }: { migrate?: boolean } = {},
): Promise<{ store: S; dispose(): Promise<void> }> {
  const schema = scratchSchema(prefix);
  const store = open(schema);
  if (migrate) await store.migrate();
  return {
    store,
    async dispose() {
      await store.close();
      await dropSchema(url, schema);
    },
  };
}
