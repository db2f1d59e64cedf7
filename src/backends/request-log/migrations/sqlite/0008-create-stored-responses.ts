import type { Migration } from '../migration.js';

/** Responses API responses kept for retrieval and `previous_response_id` (SQLite). */
export const createStoredResponses: Migration = {
  version: 8,
  name: 'create-stored-responses',
  sql: `
CREATE TABLE stored_responses (
  id TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  status TEXT NOT NULL,
  input_items TEXT NOT NULL,
  response TEXT NOT NULL
);
CREATE INDEX stored_responses_created_at ON stored_responses (created_at);
`,
};
