import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { StoredRequestLogRecord } from '../../ports/request-log-store.js';
import { createRequestLog } from './migrations/postgres/0001-create-request-log.js';
import { addRouting } from './migrations/postgres/0002-add-routing.js';
import { PostgresRequestLogStore } from './postgres-request-log-store.js';
import { DAY_MS } from './request-log-partitions.js';

const databaseUrl = process.env.DATABASE_URL;
/** 2026-01-01T00:00:00Z, a day boundary. */
const DAY0 = 1_767_225_600_000;
let schemaCounter = 0;

const record = (id: string, startedAt: number): StoredRequestLogRecord => ({
  id,
  startedAt,
  clientFormat: 'openai-chat',
  requestedModel: 'fast',
  stream: false,
  status: 200,
  attempts: [],
  latencyMs: 10,
  warnings: [],
});

if (databaseUrl === undefined || databaseUrl === '') {
  console.warn('skipping Postgres partitions: DATABASE_URL unset');
  describe.skip('Postgres request log partitions (DATABASE_URL unset)', () => {
    it('needs DATABASE_URL, e.g. postgres://postgres@127.0.0.1:5432/test', () => undefined);
  });
} else {
  const url = databaseUrl;
  describe('Postgres request log partitioned by day', () => {
    const cleanups: (() => Promise<void>)[] = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });

    /** A client and a store on a fresh schema, both dropped after the test. */
    async function open(now = DAY0 + 2 * DAY_MS): Promise<{ store: PostgresRequestLogStore; sql: pg.Client; schema: string }> {
      schemaCounter += 1;
      const schema = `switchyard_part_${process.pid}_${Date.now().toString(36)}_${schemaCounter}`;
      const sql = new pg.Client({ connectionString: url });
      await sql.connect();
      await sql.query(`CREATE SCHEMA "${schema}"`);
      await sql.query(`SET search_path = "${schema}"`);
      const store = new PostgresRequestLogStore({ connectionString: url, schema, now: () => now });
      cleanups.push(async () => {
        await store.close();
        await sql.query(`DROP SCHEMA "${schema}" CASCADE`);
        await sql.end();
      });
      return { store, sql, schema };
    }

    async function rowsByPartition(sql: pg.Client): Promise<Record<string, string[]>> {
      const result = await sql.query<{ part: string; id: string }>('SELECT tableoid::regclass::text AS part, id FROM request_log ORDER BY id');
      const byPartition: Record<string, string[]> = {};
      for (const row of result.rows) (byPartition[row.part] ??= []).push(row.id);
      return byPartition;
    }

    it('creates daily partitions on demand and puts each row in the partition of its day', async () => {
      const { store, sql } = await open();
      await store.migrate();
      const kind = await sql.query<{ relkind: string }>("SELECT relkind FROM pg_class WHERE oid = 'request_log'::regclass");
      expect(kind.rows[0]?.relkind).toBe('p');
      await store.insertBatch([record('a', DAY0), record('b', DAY0 + DAY_MS - 1), record('c', DAY0 + DAY_MS)]);
      expect(await rowsByPartition(sql)).toEqual({ request_log_p20260101: ['a', 'b'], request_log_p20260102: ['c'] });
    });

    it('queries, paginates and aggregates across partitions', async () => {
      const { store } = await open();
      await store.migrate();
      await store.insertBatch([record('a', DAY0 + 5), record('b', DAY0 + DAY_MS + 5), record('c', DAY0 + 2 * DAY_MS + 5)]);
      const first = await store.query({ limit: 2 });
      expect(first.records.map((row) => row.id)).toEqual(['c', 'b']);
      const second = await store.query({ limit: 2, ...(first.nextCursor ? { cursor: first.nextCursor } : {}) });
      expect(second.records.map((row) => row.id)).toEqual(['a']);
      expect((await store.get('a'))?.startedAt).toBe(DAY0 + 5);
      const [stats] = await store.aggregate({ from: DAY0, to: DAY0 + 3 * DAY_MS, groupBy: 'model' });
      expect(stats?.count).toBe(3);
    });

    it('retention drops whole expired partitions, keeps newer ones and creates the coming days ahead', async () => {
      const { store, sql } = await open(DAY0 + 2 * DAY_MS + 1_000);
      await store.migrate();
      await store.insertBatch([record('old1', DAY0 + 1), record('old2', DAY0 + 2), record('mid', DAY0 + DAY_MS + 1), record('new', DAY0 + 2 * DAY_MS)]);
      expect(await store.prune(DAY0 + DAY_MS)).toBe(2);
      const names = (await store.listPartitions()).map((partition) => partition.name);
      expect(names).toEqual(['request_log_p20260102', 'request_log_p20260103', 'request_log_p20260104', 'request_log_p20260105']);
      expect(await rowsByPartition(sql)).toEqual({ request_log_p20260102: ['mid'], request_log_p20260103: ['new'] });
      expect(await store.prune(DAY0 + DAY_MS + 2)).toBe(1);
      expect((await store.listPartitions()).map((partition) => partition.name)).toContain('request_log_p20260102');
    });

    it('keeps bodies in daily partitions of their own, which body retention drops while the record partitions stay', async () => {
      const { store, sql } = await open(DAY0 + 2 * DAY_MS + 1_000);
      await store.migrate();
      await store.insertBatch([
        { ...record('a', DAY0 + 1), requestBody: { prompt: 'a' } },
        { ...record('b', DAY0 + DAY_MS + 1), responseBody: { text: 'b' } },
      ]);
      const bodies = await sql.query<{ part: string; id: string }>('SELECT tableoid::regclass::text AS part, id FROM request_bodies ORDER BY id');
      expect(bodies.rows).toEqual([
        { part: 'request_bodies_p20260101', id: 'a' },
        { part: 'request_bodies_p20260102', id: 'b' },
      ]);
      const flags = await sql.query<{ has_bodies: boolean }>('SELECT has_bodies FROM request_log ORDER BY id');
      expect(flags.rows.map((row) => row.has_bodies)).toEqual([true, true]);
      expect(await store.pruneBodies(DAY0 + DAY_MS)).toBe(1);
      expect((await store.listPartitions(undefined, 'request_bodies')).map((partition) => partition.name)).toEqual(['request_bodies_p20260102']);
      expect(await rowsByPartition(sql)).toEqual({ request_log_p20260101: ['a'], request_log_p20260102: ['b'] });
      expect(await store.get('a')).toMatchObject({ id: 'a', bodiesExpired: true });
      expect((await store.get('b'))?.responseBody).toEqual({ text: 'b' });
    });

    it('accepts late rows for a day whose partition was dropped by recreating it', async () => {
      const { store } = await open();
      await store.migrate();
      await store.insertBatch([record('early', DAY0)]);
      await store.prune(DAY0 + DAY_MS);
      await store.insertBatch([record('late', DAY0 + 10)]);
      expect((await store.get('late'))?.id).toBe('late');
    });

    it('converts an existing unpartitioned table without copying it and drops it once it has expired', async () => {
      const { store, sql } = await open(DAY0 + 5 * DAY_MS);
      await sql.query(createRequestLog.sql);
      await sql.query(addRouting.sql);
      await sql.query('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())');
      await sql.query("INSERT INTO schema_migrations (version, name) VALUES (1, 'create-request-log'), (2, 'add-routing')");
      await sql.query(
        `INSERT INTO request_log (id, started_at, client_format, stream, status, attempt_count, attempts, latency_ms, warnings)
         VALUES ('before1', ${DAY0}, 'openai-chat', false, 200, 0, '[]', 1, '[]'), ('before2', ${DAY0 + DAY_MS + 7}, 'openai-chat', false, 200, 0, '[]', 1, '[]')`,
      );
      await store.migrate();
      await store.migrate();
      expect(await store.listPartitions()).toEqual([{ name: 'request_log_legacy', lower: -Infinity, upper: DAY0 + 2 * DAY_MS }]);
      await store.insertBatch([record('after', DAY0 + 3 * DAY_MS)]);
      expect(await rowsByPartition(sql)).toEqual({ request_log_legacy: ['before1', 'before2'], request_log_p20260104: ['after'] });
      expect((await store.get('before2'))?.startedAt).toBe(DAY0 + DAY_MS + 7);
      expect(await store.prune(DAY0 + 2 * DAY_MS)).toBe(2);
      expect((await store.listPartitions()).map((partition) => partition.name)).not.toContain('request_log_legacy');
      expect((await store.query({})).records.map((row) => row.id)).toEqual(['after']);
    });
  });
}
