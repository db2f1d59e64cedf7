import type { Migration } from '../migration.js';

/** Feedback scores per (request, metric), and the task class on each request (SQLite). */
export const createFeedback: Migration = {
  version: 4,
  name: 'create-feedback',
  sql: `
ALTER TABLE request_log ADD COLUMN task_class TEXT;
CREATE TABLE request_feedback (
  request_id TEXT NOT NULL,
  metric TEXT NOT NULL,
  score REAL NOT NULL,
  comment TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (request_id, metric)
);
CREATE INDEX request_feedback_updated_at ON request_feedback (updated_at);
`,
};
