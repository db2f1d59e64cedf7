import type { Migration } from '../migration.js';

/** Virtual keys (the record as JSON beside its lookup columns), the audit log, and store-wide settings (Postgres). */
export const createGovernance: Migration = {
  version: 6,
  name: 'create-governance',
  sql: `
CREATE TABLE virtual_keys (id TEXT PRIMARY KEY, hash TEXT NOT NULL UNIQUE, updated_at BIGINT NOT NULL, data JSONB NOT NULL);
CREATE INDEX virtual_keys_updated_at ON virtual_keys (updated_at);
CREATE TABLE audit_log (id TEXT PRIMARY KEY, at BIGINT NOT NULL, actor TEXT NOT NULL, action TEXT NOT NULL, target TEXT, details JSONB NOT NULL);
CREATE INDEX audit_log_at ON audit_log (at DESC);
CREATE TABLE governance_settings (name TEXT PRIMARY KEY, value TEXT NOT NULL);
`,
};
