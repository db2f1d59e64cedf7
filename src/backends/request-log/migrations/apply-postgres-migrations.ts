import type pg from 'pg';
import { pendingMigrations } from './migration.js';
import { POSTGRES_MIGRATIONS } from './postgres/index.js';

/** Serialises concurrent migrations from several replicas (and the key store beside the request log) starting at once. */
const MIGRATION_LOCK_KEY = 7_413_190_225;

/** Applies pending Postgres migrations in one transaction under an advisory lock, creating the schema if named. */
export async function applyPostgresMigrations(pool: pg.Pool, schema: string | undefined): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    if (schema !== undefined) await client.query(`CREATE SCHEMA IF NOT EXISTS "${schema}"`);
    await client.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())',
    );
    const applied = await client.query<{ version: number }>('SELECT version FROM schema_migrations');
    for (const migration of pendingMigrations(POSTGRES_MIGRATIONS, new Set(applied.rows.map((row) => row.version)))) {
      await client.query(migration.sql);
      await client.query('INSERT INTO schema_migrations (version, name) VALUES ($1, $2)', [migration.version, migration.name]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
