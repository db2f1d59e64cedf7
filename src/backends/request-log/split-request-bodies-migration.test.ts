import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { Migration } from './migrations/migration.js';
import { POSTGRES_MIGRATIONS } from './migrations/postgres/index.js';
import { SQLITE_MIGRATIONS } from './migrations/sqlite/index.js';
import { PostgresRequestLogStore } from './postgres-request-log-store.js';
import { SqliteRequestLogStore } from './sqlite-request-log-store.js';

/** 2026-01-01T00:00:00Z. */
const DAY0 = 1_767_225_600_000;
const DAY_MS = 86_400_000;
const BEFORE_SPLIT = (migration: Migration): boolean => migration.version < 10;

/** Rows as a gateway before migration 10 wrote them: two with bodies (on different days), one without. */
const LEGACY_ROWS = [
  { id: 'with-both', started_at: DAY0 + 5, request_body: '{"messages":[{"role":"user","content":"hi"}]}', response_body: '{"choices":[]}' },
  { id: 'with-response', started_at: DAY0 + DAY_MS + 5, request_body: null, response_body: '{"partial":true}' },
  { id: 'without', started_at: DAY0 + DAY_MS + 6, request_body: null, response_body: null },
];

const INSERT_LEGACY = (placeholder: (index: number) => string): string =>
  `INSERT INTO request_log (id, started_at, client_format, stream, status, attempt_count, attempts, latency_ms, warnings, request_body, response_body)
   VALUES (${placeholder(1)}, ${placeholder(2)}, 'openai-chat', false, 200, 0, '[]', 1, '[]', ${placeholder(3)}, ${placeholder(4)})`;

describe('migration 10 on SQLite: bodies move to request_bodies', () => {
  it('copies existing bodies out, flags their records, drops the columns, and body retention then applies to them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchyard-split-'));
    const file = join(dir, 'log.db');
    const db = new Database(file);
    db.exec('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
    for (const migration of SQLITE_MIGRATIONS.filter(BEFORE_SPLIT)) {
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, 0)').run(migration.version, migration.name);
    }
    const insert = db.prepare(INSERT_LEGACY(() => '?'));
    for (const row of LEGACY_ROWS) insert.run(row.id, row.started_at, row.request_body, row.response_body);
    db.close();

    const migrated = new SqliteRequestLogStore(file);
    try {
      await migrated.migrate();
      expect(await migrated.get('with-both')).toMatchObject({ requestBody: { messages: [{ role: 'user', content: 'hi' }] }, responseBody: { choices: [] } });
      expect((await migrated.get('with-response'))?.responseBody).toEqual({ partial: true });
      const without = await migrated.get('without');
      expect(without?.requestBody).toBeUndefined();
      expect(without?.bodiesExpired).toBeUndefined();
      expect(await migrated.pruneBodies(DAY0 + DAY_MS)).toBe(1);
      expect((await migrated.get('with-both'))?.bodiesExpired).toBe(true);
      expect((await migrated.query({})).records).toHaveLength(3);
    } finally {
      await migrated.close();
      const check = new Database(file, { readonly: true });
      const columns = check.prepare<[], { name: string }>("SELECT name FROM pragma_table_info('request_log')").all().map((column) => column.name);
      check.close();
      rmSync(dir, { recursive: true, force: true });
      expect(columns).not.toContain('request_body');
      expect(columns).toContain('has_bodies');
    }
  });
});

const databaseUrl = process.env.DATABASE_URL;
if (databaseUrl === undefined || databaseUrl === '') {
  console.warn('skipping Postgres migration 10: DATABASE_URL unset');
  describe.skip('migration 10 on Postgres (DATABASE_URL unset)', () => {
    it('needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test', () => undefined);
  });
} else {
  const url = databaseUrl;
  describe('migration 10 on Postgres: bodies move to request_bodies, partitioned by day', () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    it('copies existing bodies into a partition per day, flags their records, drops the columns, and retention drops those partitions', async () => {
      const schema = `switchyard_split_${process.pid}_${Date.now().toString(36)}`;
      const sql = new pg.Client({ connectionString: url });
      await sql.connect();
      await sql.query(`CREATE SCHEMA "${schema}"`);
      await sql.query(`SET search_path = "${schema}"`);
      const store = new PostgresRequestLogStore({ connectionString: url, schema, now: () => DAY0 + 2 * DAY_MS });
      cleanups.push(async () => {
        await store.close();
        await sql.query(`DROP SCHEMA "${schema}" CASCADE`);
        await sql.end();
      });
      await sql.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      for (const migration of POSTGRES_MIGRATIONS.filter(BEFORE_SPLIT)) {
        await sql.query(migration.sql);
        await sql.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
      }
      for (const day of [DAY0, DAY0 + DAY_MS]) {
        await sql.query(`CREATE TABLE "request_log_p${new Date(day).toISOString().slice(0, 10).replaceAll('-', '')}" PARTITION OF request_log FOR VALUES FROM (${day}) TO (${day + DAY_MS})`);
      }
      for (const row of LEGACY_ROWS) await sql.query(INSERT_LEGACY((index) => `$${index}`), [row.id, row.started_at, row.request_body, row.response_body]);

      await store.migrate();
      await store.migrate();
      expect((await store.listPartitions(undefined, 'request_bodies')).map((partition) => partition.name)).toEqual([
        'request_bodies_p20260101',
        'request_bodies_p20260102',
      ]);
      expect(await store.get('with-both')).toMatchObject({ requestBody: { messages: [{ role: 'user', content: 'hi' }] }, responseBody: { choices: [] } });
      expect((await store.get('with-response'))?.responseBody).toEqual({ partial: true });
      expect((await store.get('without'))?.bodiesExpired).toBeUndefined();
      const columns = await sql.query<{ column_name: string }>(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = $1 AND table_name = 'request_log'",
        [schema],
      );
      expect(columns.rows.map((row) => row.column_name)).not.toContain('request_body');

      expect(await store.pruneBodies(DAY0 + DAY_MS)).toBe(1);
      expect((await store.listPartitions(undefined, 'request_bodies')).map((partition) => partition.name)).not.toContain('request_bodies_p20260101');
      expect((await store.get('with-both'))?.bodiesExpired).toBe(true);
      expect((await store.query({})).records).toHaveLength(3);
    });
  });
}
