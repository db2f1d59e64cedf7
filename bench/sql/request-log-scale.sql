-- Request log at scale: the admin queries on an unpartitioned table (the layout before migration 7) and on the
-- daily-partitioned one, same rows. Run:  psql "$DATABASE_URL" -v rows=2000000 -f bench/sql/request-log-scale.sql
-- With -v only_partitioned=1 the rows go straight into the partitioned table and the flat layout is not measured
-- (what 10 M rows need to finish in reasonable time).
-- Rows are spread evenly over 30 days ending 2026-01-31T00:00Z (1769817600000); 8 models, 4 providers, 5 % errors.
\set ON_ERROR_STOP on
\if :{?only_partitioned}
  \set flat false
  \set target bench_rl_part
\else
  \set flat true
  \set target bench_rl_flat
\endif
\timing on
DROP SCHEMA IF EXISTS bench_rl_flat CASCADE;
DROP SCHEMA IF EXISTS bench_rl_part CASCADE;
CREATE SCHEMA bench_rl_flat;
CREATE SCHEMA bench_rl_part;

CREATE TABLE bench_rl_flat.request_log (
  id TEXT COLLATE "C" PRIMARY KEY, started_at BIGINT NOT NULL, client_format TEXT NOT NULL, key_id TEXT,
  requested_model TEXT, provider TEXT, model TEXT, stream BOOLEAN NOT NULL, status INTEGER NOT NULL, error_code TEXT,
  error_message TEXT, attempt_count INTEGER NOT NULL, attempts JSONB NOT NULL, ttft_ms DOUBLE PRECISION,
  latency_ms DOUBLE PRECISION NOT NULL, overhead_ms DOUBLE PRECISION, input_tokens BIGINT, cache_read_tokens BIGINT,
  cache_write_tokens BIGINT, output_tokens BIGINT, reasoning_tokens BIGINT, usage_raw JSONB, cost_usd DOUBLE PRECISION,
  finish_reason TEXT, finish_reason_raw TEXT, stop_sequence TEXT, warnings JSONB NOT NULL, metadata JSONB,
  has_bodies BOOLEAN NOT NULL DEFAULT false, routing JSONB);

CREATE TABLE bench_rl_part.request_log (LIKE bench_rl_flat.request_log INCLUDING DEFAULTS) PARTITION BY RANGE (started_at);
ALTER TABLE bench_rl_part.request_log ADD PRIMARY KEY (id, started_at);
DO $$
BEGIN
  FOR d IN 0..30 LOOP
    EXECUTE format('CREATE TABLE bench_rl_part.request_log_d%s PARTITION OF bench_rl_part.request_log FOR VALUES FROM (%s) TO (%s)',
                   d, 1767225600000 + d * 86400000::bigint, 1767225600000 + (d + 1) * 86400000::bigint);
  END LOOP;
END $$;
\echo generate :rows rows
INSERT INTO :target.request_log (id, started_at, client_format, key_id, requested_model, provider, model, stream,
  status, error_code, error_message, attempt_count, attempts, ttft_ms, latency_ms, overhead_ms, input_tokens,
  output_tokens, cost_usd, finish_reason, warnings)
SELECT 'req_' || lpad(i::text, 10, '0'),
       1767225600000 + (i * (2592000000 / :rows::numeric))::bigint,
       'openai-chat', 'key_' || (i % 50), 'model-' || (i % 8), 'prov-' || (i % 4), 'up-model-' || (i % 8), i % 3 = 0,
       CASE WHEN i % 20 = 0 THEN 502 ELSE 200 END,
       CASE WHEN i % 20 = 0 THEN 'all_targets_failed' END,
       CASE WHEN i % 20 = 0 THEN 'All upstream attempts failed: prov timeout' END,
       1 + (i % 20 = 0)::int, '[]', (i % 997) * 1.3, 50 + (i % 4999) * 0.7, 0.4, 500 + i % 300, 120 + i % 700,
       (i % 1000) / 100000.0, 'stop', '[]'
FROM generate_series(1, :rows) AS i;
\if :flat
CREATE INDEX ON bench_rl_flat.request_log (started_at DESC, id DESC);
CREATE INDEX ON bench_rl_flat.request_log (requested_model, started_at);
CREATE INDEX ON bench_rl_flat.request_log (model, started_at);
CREATE INDEX ON bench_rl_flat.request_log (provider, started_at);
CREATE INDEX ON bench_rl_flat.request_log (key_id, started_at);
CREATE INDEX ON bench_rl_flat.request_log (status, started_at);

INSERT INTO bench_rl_part.request_log SELECT * FROM bench_rl_flat.request_log;
ANALYZE bench_rl_flat.request_log;
\endif
CREATE INDEX ON bench_rl_part.request_log (started_at DESC, id DESC);
CREATE INDEX ON bench_rl_part.request_log (requested_model, started_at);
CREATE INDEX ON bench_rl_part.request_log (model, started_at);
CREATE INDEX ON bench_rl_part.request_log (provider, started_at);
CREATE INDEX ON bench_rl_part.request_log (key_id, started_at);
CREATE INDEX ON bench_rl_part.request_log (status, started_at);
CREATE INDEX ON bench_rl_part.request_log (started_at DESC, id DESC) WHERE status >= 400;
-- Migration 11: one index over errors per filter column, in page order.
CREATE INDEX ON bench_rl_part.request_log (requested_model, started_at DESC, id DESC) WHERE status >= 400;
CREATE INDEX ON bench_rl_part.request_log (model, started_at DESC, id DESC) WHERE status >= 400;
CREATE INDEX ON bench_rl_part.request_log (provider, started_at DESC, id DESC) WHERE status >= 400;
CREATE INDEX ON bench_rl_part.request_log (key_id, started_at DESC, id DESC) WHERE status >= 400;
ANALYZE bench_rl_part.request_log;

-- The same admin queries against each layout (what PostgresRequestLogStore sends, parameters inlined).
\if :flat
SET search_path = bench_rl_flat;
\echo === flat
\ir request-log-scale-queries.sql
\endif
SET search_path = bench_rl_part;
\echo === partitioned
\ir request-log-scale-queries.sql

\echo retention: one expired day
\if :flat
SET search_path = bench_rl_flat;
EXPLAIN (ANALYZE, COSTS OFF, SUMMARY ON) DELETE FROM request_log WHERE started_at < 1767225600000 + 86400000;
\endif
SET search_path = bench_rl_part;
SELECT count(*) FROM request_log_d0;
DROP TABLE request_log_d0;
RESET search_path;
