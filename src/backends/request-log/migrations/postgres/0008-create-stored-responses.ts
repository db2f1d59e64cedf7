import type { Migration } from '../migration.js';

/** Responses API responses kept for retrieval and `previous_response_id` (Postgres). */
export const createStoredResponses: Migration = {
  version: 8,
  name: 'create-stored-responses',
  sql: `
CREATE TABLE IF NOT EXISTS stored_responses (
  id TEXT COLLATE "C" PRIMARY KEY,
  owner TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  status TEXT NOT NULL,
  input_items TEXT NOT NULL,
  response TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stored_responses_created_at ON stored_responses (created_at);
`,
};
