import type { Migration } from '../migration.js';

/** Routing decisions (why each target was tried or skipped), as JSON (SQLite). */
export const addRouting: Migration = {
  version: 2,
  name: 'add-routing',
  sql: `ALTER TABLE request_log ADD COLUMN routing TEXT;`,
};
