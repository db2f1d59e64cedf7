import type { Migration } from '../migration.js';

/**
 * Turns `request_log` into a table range-partitioned by `started_at` (daily partitions are created by the store).
 * An existing table is not copied: it is renamed and attached whole as the partition `request_log_legacy`, covering
 * everything before the UTC day after its newest row, and the retention job drops it once all of it has expired.
 * Attaching scans it once and builds one index (id, started_at); writes wait for that. Empty, it is simply dropped.
 * The primary key becomes (id, started_at): Postgres requires the partition key in every unique constraint.
 */
export const partitionRequestLog: Migration = {
  version: 7,
  name: 'partition-request-log',
  sql: `
DO $$
DECLARE
  index_name TEXT;
  key_name TEXT;
  newest BIGINT;
BEGIN
  IF (SELECT relkind FROM pg_class WHERE oid = 'request_log'::regclass) = 'p' THEN
    RETURN;
  END IF;
  ALTER TABLE request_log RENAME TO request_log_legacy;
  FOR index_name IN SELECT i.relname FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                    WHERE x.indrelid = 'request_log_legacy'::regclass LOOP
    EXECUTE format('ALTER INDEX %I RENAME TO %I', index_name, 'legacy_' || index_name);
  END LOOP;
  CREATE TABLE request_log (LIKE request_log_legacy INCLUDING DEFAULTS) PARTITION BY RANGE (started_at);
  ALTER TABLE request_log ADD CONSTRAINT request_log_pkey PRIMARY KEY (id, started_at);
  CREATE INDEX request_log_started_at ON request_log (started_at DESC, id DESC);
  CREATE INDEX request_log_requested_model ON request_log (requested_model, started_at);
  CREATE INDEX request_log_model ON request_log (model, started_at);
  CREATE INDEX request_log_provider ON request_log (provider, started_at);
  CREATE INDEX request_log_key_id ON request_log (key_id, started_at);
  CREATE INDEX request_log_status ON request_log (status, started_at);
  CREATE INDEX request_log_errors ON request_log (started_at DESC, id DESC) WHERE status >= 400;
  SELECT max(started_at) INTO newest FROM request_log_legacy;
  IF newest IS NULL THEN
    DROP TABLE request_log_legacy;
  ELSE
    SELECT conname INTO key_name FROM pg_constraint WHERE conrelid = 'request_log_legacy'::regclass AND contype = 'p';
    EXECUTE format('ALTER TABLE request_log_legacy DROP CONSTRAINT %I', key_name);
    EXECUTE format('ALTER TABLE request_log ATTACH PARTITION request_log_legacy FOR VALUES FROM (MINVALUE) TO (%s)',
                   (floor(newest / 86400000.0)::BIGINT + 1) * 86400000);
  END IF;
END $$;
`,
};
