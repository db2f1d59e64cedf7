import type { Migration } from '../migration.js';

/** Batch files (content inline), jobs (the record as JSON beside its lookup columns) and per-line state (SQLite). */
export const createBatches: Migration = {
  version: 9,
  name: 'create-batches',
  sql: `
CREATE TABLE batch_files (id TEXT PRIMARY KEY, purpose TEXT NOT NULL, filename TEXT NOT NULL, bytes INTEGER NOT NULL, created_at INTEGER NOT NULL, key_id TEXT, content BLOB NOT NULL);
CREATE INDEX batch_files_created_at ON batch_files (created_at DESC);
CREATE TABLE batch_jobs (id TEXT PRIMARY KEY, format TEXT NOT NULL, status TEXT NOT NULL, key_id TEXT, created_at INTEGER NOT NULL, data TEXT NOT NULL);
CREATE INDEX batch_jobs_created_at ON batch_jobs (created_at DESC);
CREATE INDEX batch_jobs_status ON batch_jobs (status);
CREATE TABLE batch_lines (job_id TEXT NOT NULL, idx INTEGER NOT NULL, custom_id TEXT NOT NULL, state TEXT NOT NULL, request TEXT, result TEXT, tries INTEGER NOT NULL DEFAULT 0, cost_usd REAL, owner TEXT, lease_until INTEGER NOT NULL DEFAULT 0, finished_at INTEGER, PRIMARY KEY (job_id, idx));
CREATE INDEX batch_lines_state ON batch_lines (job_id, state);
`,
};
