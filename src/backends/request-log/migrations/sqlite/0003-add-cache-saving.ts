import type { Migration } from '../migration.js';

/** What prompt-cache pricing saved on a response, in USD (SQLite). */
export const addCacheSaving: Migration = {
  version: 3,
  name: 'add-cache-saving',
  sql: `ALTER TABLE request_log ADD COLUMN cache_saving_usd REAL;`,
};
