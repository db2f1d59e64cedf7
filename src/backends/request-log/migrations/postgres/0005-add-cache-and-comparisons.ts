import type { Migration } from '../migration.js';

/** The response-cache flag of each request, and the table of stored comparisons (`/v1/compare`) (Postgres). */
export const addCacheAndComparisons: Migration = {
  version: 5,
  name: 'add-cache-and-comparisons',
  sql: `
ALTER TABLE request_log ADD COLUMN IF NOT EXISTS cache TEXT;
CREATE TABLE IF NOT EXISTS comparisons (
  id TEXT COLLATE "C" PRIMARY KEY,
  started_at BIGINT NOT NULL,
  models JSONB NOT NULL,
  request JSONB NOT NULL,
  legs JSONB NOT NULL,
  judge JSONB
);
CREATE INDEX IF NOT EXISTS comparisons_started_at ON comparisons (started_at DESC, id DESC);
`,
};
