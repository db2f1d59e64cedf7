import type { Migration } from '../migration.js';

/** The response-cache flag of each request, and the table of stored comparisons (`/v1/compare`) (SQLite). */
export const addCacheAndComparisons: Migration = {
  version: 5,
  name: 'add-cache-and-comparisons',
  sql: `
ALTER TABLE request_log ADD COLUMN cache TEXT;
CREATE TABLE comparisons (
  id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  models TEXT NOT NULL,
  request TEXT NOT NULL,
  legs TEXT NOT NULL,
  judge TEXT
);
CREATE INDEX comparisons_started_at ON comparisons (started_at DESC, id DESC);
`,
};
