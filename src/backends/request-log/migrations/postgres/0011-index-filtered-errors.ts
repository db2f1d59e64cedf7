import type { Migration } from '../migration.js';

/**
 * Indexes over failed requests only, one per admin filter column, ordered like the admin pages: a filtered error page
 * (`model=…&status=error`) then reads the rows it shows, not every row of that model, whatever the table holds
 * (6.6 s at 10 M rows before, see docs/benchmarks.md). They hold about one row in twenty, so writes barely notice.
 */
export const indexFilteredErrors: Migration = {
  version: 11,
  name: 'index-filtered-errors',
  sql: `
CREATE INDEX request_log_requested_model_errors ON request_log (requested_model, started_at DESC, id DESC) WHERE status >= 400;
CREATE INDEX request_log_model_errors ON request_log (model, started_at DESC, id DESC) WHERE status >= 400;
CREATE INDEX request_log_provider_errors ON request_log (provider, started_at DESC, id DESC) WHERE status >= 400;
CREATE INDEX request_log_key_id_errors ON request_log (key_id, started_at DESC, id DESC) WHERE status >= 400;
`,
};
