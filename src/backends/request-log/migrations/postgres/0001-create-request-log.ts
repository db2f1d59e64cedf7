import type { Migration } from '../migration.js';

/** The request log table and its lookup indexes (Postgres). */
export const createRequestLog: Migration = {
  version: 1,
  name: 'create-request-log',
  sql: `
CREATE TABLE request_log (
  id TEXT COLLATE "C" PRIMARY KEY,
  started_at BIGINT NOT NULL,
  client_format TEXT NOT NULL,
  key_id TEXT,
  requested_model TEXT,
  provider TEXT,
  model TEXT,
  stream BOOLEAN NOT NULL,
  status INTEGER NOT NULL,
  error_code TEXT,
  error_message TEXT,
  attempt_count INTEGER NOT NULL,
  attempts JSONB NOT NULL,
  ttft_ms DOUBLE PRECISION,
  latency_ms DOUBLE PRECISION NOT NULL,
  overhead_ms DOUBLE PRECISION,
  input_tokens BIGINT,
  cache_read_tokens BIGINT,
  cache_write_tokens BIGINT,
  output_tokens BIGINT,
  reasoning_tokens BIGINT,
  usage_raw JSONB,
  cost_usd DOUBLE PRECISION,
  finish_reason TEXT,
  finish_reason_raw TEXT,
  stop_sequence TEXT,
  warnings JSONB NOT NULL,
  metadata JSONB,
  request_body JSONB,
  response_body JSONB
);
CREATE INDEX request_log_started_at ON request_log (started_at DESC, id DESC);
CREATE INDEX request_log_requested_model ON request_log (requested_model, started_at);
CREATE INDEX request_log_model ON request_log (model, started_at);
CREATE INDEX request_log_provider ON request_log (provider, started_at);
CREATE INDEX request_log_key_id ON request_log (key_id, started_at);
CREATE INDEX request_log_status ON request_log (status, started_at);
`,
};
