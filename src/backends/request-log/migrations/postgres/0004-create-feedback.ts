import type { Migration } from '../migration.js';

/** Feedback scores per (request, metric), and the task class on each request (Postgres). */
export const createFeedback: Migration = {
  version: 4,
  name: 'create-feedback',
  sql: `
ALTER TABLE request_log ADD COLUMN IF NOT EXISTS task_class TEXT;
CREATE TABLE request_feedback (
  request_id TEXT COLLATE "C" NOT NULL,
  metric TEXT NOT NULL,
  score DOUBLE PRECISION NOT NULL,
  comment TEXT,
  created_at BIGINT NOT NULL,
  updated_at BIGINT NOT NULL,
  PRIMARY KEY (request_id, metric)
);
CREATE INDEX request_feedback_updated_at ON request_feedback (updated_at);
`,
};
