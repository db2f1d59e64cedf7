import type { Migration } from '../migration.js';

/** Batch files (content inline), jobs (the record as JSON beside its lookup columns) and per-line state (Postgres). */
export const createBatches: Migration = {
  version: 9,
  name: 'create-batches',
  sql: `
CREATE TABLE batch_files (id TEXT PRIMARY KEY, purpose TEXT NOT NULL, filename TEXT NOT NULL, bytes BIGINT NOT NULL, created_at BIGINT NOT NULL, key_id TEXT, content BYTEA NOT NULL);
CREATE INDEX batch_files_created_at ON batch_files (created_at DESC);
CREATE TABLE batch_jobs (id TEXT PRIMARY KEY, format TEXT NOT NULL, status TEXT NOT NULL, key_id TEXT, created_at BIGINT NOT NULL, data JSONB NOT NULL);
CREATE INDEX batch_jobs_created_at ON batch_jobs (created_at DESC);
CREATE INDEX batch_jobs_status ON batch_jobs (status);
CREATE TABLE batch_lines (job_id TEXT NOT NULL, idx INTEGER NOT NULL, custom_id TEXT NOT NULL, state TEXT NOT NULL, request JSONB, result JSONB, tries INTEGER NOT NULL DEFAULT 0, cost_usd DOUBLE PRECISION, owner TEXT, lease_until BIGINT NOT NULL DEFAULT 0, finished_at BIGINT, PRIMARY KEY (job_id, idx));
CREATE INDEX batch_lines_state ON batch_lines (job_id, state);
`,
};
