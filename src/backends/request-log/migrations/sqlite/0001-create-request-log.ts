import type { Migration } from '../migration.js';

/** The request log table and its lookup indexes (SQLite). */
export const createRequestLog: Migration = {
  version: 1,
  name: 'create-request-log',
  sql: `
CREATE TABLE request_log (
  id TEXT PRIMARY KEY,
  started_at INTEGER NOT NULL,
  client_format TEXT NOT NULL,
  key_id TEXT,
  requested_model TEXT,
  provider TEXT,
  model TEXT,
  stream INTEGER NOT NULL,
  status INTEGER NOT NULL,
  error_code TEXT,
  error_message TEXT,
  attempt_count INTEGER NOT NULL,
  attempts TEXT NOT NULL,
  ttft_ms REAL,
  latency_ms REAL NOT NULL,
  overhead_ms REAL,
  input_tokens INTEGER,
  cache_read_tokens INTEGER,
  cache_write_tokens INTEGER,
  output_tokens INTEGER,
  reasoning_tokens INTEGER,
  usage_raw TEXT,
  cost_usd REAL,
  finish_reason TEXT,
  finish_reason_raw TEXT,
  stop_sequence TEXT,
  warnings TEXT NOT NULL,
  metadata TEXT,
  request_body TEXT,
  response_body TEXT
);
CREATE INDEX request_log_started_at ON request_log (started_at DESC, id DESC);
CREATE INDEX request_log_requested_model ON request_log (requested_model, started_at);
CREATE INDEX request_log_model ON request_log (model, started_at);
CREATE INDEX request_log_provider ON request_log (provider, started_at);
CREATE INDEX request_log_key_id ON request_log (key_id, started_at);
CREATE INDEX request_log_status ON request_log (status, started_at);
`,
};
