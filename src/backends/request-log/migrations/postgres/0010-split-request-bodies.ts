import type { Migration } from '../migration.js';

/**
 * Moves request and response bodies out of `request_log` into `request_bodies`, partitioned by `started_at` like the
 * log (daily partitions `request_bodies_p20261205`, created by the store), so the record stays small and body retention
 * drops whole partitions of its own. Existing bodies are copied into a partition per day they fall in; their records are
 * flagged `has_bodies` and their body values cleared (one UPDATE of the rows that had bodies: their TOAST space is
 * freed for reuse by the next vacuum), then the columns are dropped (a catalog change). Time grows with the bodies
 * stored; writes to `request_log` wait for the UPDATE's row locks and the final ALTER.
 */
export const splitRequestBodies: Migration = {
  version: 10,
  name: 'split-request-bodies',
  sql: `
CREATE TABLE request_bodies (
  id TEXT COLLATE "C" NOT NULL,
  started_at BIGINT NOT NULL,
  request_body JSONB,
  response_body JSONB,
  PRIMARY KEY (id, started_at)
) PARTITION BY RANGE (started_at);
ALTER TABLE request_log ADD COLUMN has_bodies BOOLEAN NOT NULL DEFAULT false;
DO $$
DECLARE
  day BIGINT;
BEGIN
  FOR day IN SELECT DISTINCT floor(started_at / 86400000.0)::BIGINT * 86400000 FROM request_log
             WHERE request_body IS NOT NULL OR response_body IS NOT NULL LOOP
    EXECUTE format('CREATE TABLE %I PARTITION OF request_bodies FOR VALUES FROM (%s) TO (%s)',
                   'request_bodies_p' || to_char(to_timestamp(day / 1000) AT TIME ZONE 'UTC', 'YYYYMMDD'), day, day + 86400000);
  END LOOP;
END $$;
INSERT INTO request_bodies (id, started_at, request_body, response_body)
  SELECT id, started_at, request_body, response_body FROM request_log
  WHERE request_body IS NOT NULL OR response_body IS NOT NULL;
UPDATE request_log SET has_bodies = true, request_body = NULL, response_body = NULL
  WHERE request_body IS NOT NULL OR response_body IS NOT NULL;
ALTER TABLE request_log DROP COLUMN request_body, DROP COLUMN response_body;
`,
};
