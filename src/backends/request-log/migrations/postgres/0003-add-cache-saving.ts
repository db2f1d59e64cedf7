import type { Migration } from '../migration.js';

/** What prompt-cache pricing saved on a response, in USD (Postgres). */
export const addCacheSaving: Migration = {
  version: 3,
  name: 'add-cache-saving',
  sql: `ALTER TABLE request_log ADD COLUMN IF NOT EXISTS cache_saving_usd DOUBLE PRECISION;`,
};
