import type { Migration } from '../migration.js';

/**
 * Moves request and response bodies out of `request_log` into `request_bodies` (keyed by the record's id, with its
 * `started_at` so body retention needs no join), so the record stays small and bodies can expire sooner. Existing
 * bodies are copied, their records flagged `has_bodies`, and the two columns dropped: SQLite rewrites the table once
 * (the file keeps its size until VACUUM; freed pages are reused).
 */
export const splitRequestBodies: Migration = {
  version: 10,
  name: 'split-request-bodies',
  sql: `
CREATE TABLE request_bodies (
  id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  request_body TEXT,
  response_body TEXT
);
CREATE INDEX request_bodies_started_at ON request_bodies (started_at);
INSERT INTO request_bodies (id, started_at, request_body, response_body)
  SELECT id, started_at, request_body, response_body FROM request_log
  WHERE request_body IS NOT NULL OR response_body IS NOT NULL;
ALTER TABLE request_log ADD COLUMN has_bodies INTEGER NOT NULL DEFAULT 0;
UPDATE request_log SET has_bodies = 1 WHERE request_body IS NOT NULL OR response_body IS NOT NULL;
ALTER TABLE request_log DROP COLUMN request_body;
ALTER TABLE request_log DROP COLUMN response_body;
`,
};
