-- The record with bodies inline (the layout before migration 10) and split out into request_bodies (migration 10),
-- same rows, both partitioned by day. Run:  psql "$DATABASE_URL" -v rows=50000 -f bench/sql/request-bodies-size.sql
-- Every row has bodies (storage.store_bodies on): a chat request of 150 words and an answer of 100, words drawn from
-- a list of 16 by hash, so they compress about as well as prose. Rows are spread over 7 days ending 2026-01-08T00:00Z.
-- Sizes do not depend on machine load; the EXPLAIN lines report buffers (pages touched) for the same reason.
\set ON_ERROR_STOP on
DROP SCHEMA IF EXISTS bench_rb_inline CASCADE;
DROP SCHEMA IF EXISTS bench_rb_split CASCADE;
CREATE SCHEMA bench_rb_inline;
CREATE SCHEMA bench_rb_split;

CREATE TABLE bench_rb_split.request_log (
  id TEXT COLLATE "C" NOT NULL, started_at BIGINT NOT NULL, client_format TEXT NOT NULL, key_id TEXT,
  requested_model TEXT, provider TEXT, model TEXT, stream BOOLEAN NOT NULL, status INTEGER NOT NULL, error_code TEXT,
  error_message TEXT, attempt_count INTEGER NOT NULL, attempts JSONB NOT NULL, ttft_ms DOUBLE PRECISION,
  latency_ms DOUBLE PRECISION NOT NULL, overhead_ms DOUBLE PRECISION, input_tokens BIGINT, cache_read_tokens BIGINT,
  cache_write_tokens BIGINT, output_tokens BIGINT, reasoning_tokens BIGINT, usage_raw JSONB, cost_usd DOUBLE PRECISION,
  finish_reason TEXT, finish_reason_raw TEXT, stop_sequence TEXT, warnings JSONB NOT NULL, metadata JSONB,
  routing JSONB, cache_saving_usd DOUBLE PRECISION, task_class TEXT, cache TEXT, has_bodies BOOLEAN NOT NULL DEFAULT false,
  PRIMARY KEY (id, started_at)) PARTITION BY RANGE (started_at);
CREATE TABLE bench_rb_split.request_bodies (
  id TEXT COLLATE "C" NOT NULL, started_at BIGINT NOT NULL, request_body JSONB, response_body JSONB,
  PRIMARY KEY (id, started_at)) PARTITION BY RANGE (started_at);
CREATE TABLE bench_rb_inline.request_log (LIKE bench_rb_split.request_log INCLUDING DEFAULTS) PARTITION BY RANGE (started_at);
ALTER TABLE bench_rb_inline.request_log DROP COLUMN has_bodies, ADD COLUMN request_body JSONB, ADD COLUMN response_body JSONB,
  ADD PRIMARY KEY (id, started_at);
CREATE INDEX ON bench_rb_inline.request_log (started_at DESC, id DESC);
CREATE INDEX ON bench_rb_split.request_log (started_at DESC, id DESC);
DO $$
BEGIN
  FOR d IN 0..6 LOOP
    EXECUTE format('CREATE TABLE bench_rb_inline.request_log_d%s PARTITION OF bench_rb_inline.request_log FOR VALUES FROM (%s) TO (%s)',
                   d, 1767225600000 + d * 86400000::bigint, 1767225600000 + (d + 1) * 86400000::bigint);
    EXECUTE format('CREATE TABLE bench_rb_split.request_log_d%s PARTITION OF bench_rb_split.request_log FOR VALUES FROM (%s) TO (%s)',
                   d, 1767225600000 + d * 86400000::bigint, 1767225600000 + (d + 1) * 86400000::bigint);
    EXECUTE format('CREATE TABLE bench_rb_split.request_bodies_d%s PARTITION OF bench_rb_split.request_bodies FOR VALUES FROM (%s) TO (%s)',
                   d, 1767225600000 + d * 86400000::bigint, 1767225600000 + (d + 1) * 86400000::bigint);
  END LOOP;
END $$;

\echo generate :rows rows
CREATE TEMP TABLE words AS SELECT ARRAY['the', 'model', 'request', 'gateway', 'token', 'answer', 'stream', 'provider',
  'latency', 'cost', 'user', 'assistant', 'function', 'result', 'error', 'retry'] AS list;
INSERT INTO bench_rb_inline.request_log (id, started_at, client_format, key_id, requested_model, provider, model, stream,
  status, attempt_count, attempts, ttft_ms, latency_ms, overhead_ms, input_tokens, output_tokens, cost_usd, finish_reason,
  warnings, routing, request_body, response_body)
SELECT 'req_' || lpad(i::text, 10, '0'), 1767225600000 + ((i - 1) * (604800000 / :rows::numeric))::bigint,
       'openai-chat', 'key_' || (i % 50), 'model-' || (i % 8), 'prov-' || (i % 4), 'up-model-' || (i % 8), i % 3 = 0, 200, 1,
       jsonb_build_array(jsonb_build_object('provider', 'prov-' || (i % 4), 'model', 'up-model-' || (i % 8), 'status', 200,
         'outcome', 'ok', 'latencyMs', 50 + (i % 4999) * 0.7, 'startOffsetMs', 0.4, 'retryWaitMs', 0)),
       (i % 997) * 1.3, 50 + (i % 4999) * 0.7, 0.4, 500 + i % 300, 120 + i % 700, (i % 1000) / 100000.0, 'stop', '[]',
       jsonb_build_array(jsonb_build_object('providerId', 'prov-' || (i % 4), 'model', 'up-model-' || (i % 8), 'action', 'try',
         'reason', 'fallback order')),
       jsonb_build_object('model', 'model-' || (i % 8), 'messages', jsonb_build_array(
         jsonb_build_object('role', 'system', 'content', 'You are a helpful assistant.'),
         jsonb_build_object('role', 'user', 'content',
           (SELECT string_agg(w.list[1 + abs(hashtext(i || ':' || g)) % 16], ' ') FROM generate_series(1, 150) g)))),
       jsonb_build_object('id', 'chatcmpl-' || i, 'object', 'chat.completion', 'model', 'up-model-' || (i % 8),
         'choices', jsonb_build_array(jsonb_build_object('index', 0, 'finish_reason', 'stop', 'message',
           jsonb_build_object('role', 'assistant', 'content',
             (SELECT string_agg(w.list[1 + abs(hashtext(i || '/' || g)) % 16], ' ') FROM generate_series(1, 100) g)))),
         'usage', jsonb_build_object('prompt_tokens', 500 + i % 300, 'completion_tokens', 120 + i % 700))
FROM generate_series(1, :rows) AS i, words AS w;
INSERT INTO bench_rb_split.request_bodies SELECT id, started_at, request_body, response_body FROM bench_rb_inline.request_log;
INSERT INTO bench_rb_split.request_log
  SELECT id, started_at, client_format, key_id, requested_model, provider, model, stream, status, error_code, error_message,
         attempt_count, attempts, ttft_ms, latency_ms, overhead_ms, input_tokens, cache_read_tokens, cache_write_tokens,
         output_tokens, reasoning_tokens, usage_raw, cost_usd, finish_reason, finish_reason_raw, stop_sequence, warnings,
         metadata, routing, cache_saving_usd, task_class, cache, true
  FROM bench_rb_inline.request_log;
VACUUM ANALYZE bench_rb_inline.request_log;
VACUUM ANALYZE bench_rb_split.request_log;
VACUUM ANALYZE bench_rb_split.request_bodies;

\echo sizes in bytes: heap is the table pages that list and stats queries read; other is TOAST and the free-space and visibility maps
SELECT layout, tbl, rows, avg_row_bytes, heap_bytes, other_bytes, index_bytes FROM (
  SELECT 'inline' AS layout, 'request_log' AS tbl, 1 AS o,
         (SELECT count(*) FROM bench_rb_inline.request_log) AS rows,
         (SELECT round(avg(pg_column_size(t.*))) FROM bench_rb_inline.request_log t) AS avg_row_bytes,
         (SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree('bench_rb_inline.request_log')) AS heap_bytes,
         (SELECT sum(pg_table_size(relid) - pg_relation_size(relid)) FROM pg_partition_tree('bench_rb_inline.request_log')) AS other_bytes,
         (SELECT sum(pg_indexes_size(relid)) FROM pg_partition_tree('bench_rb_inline.request_log')) AS index_bytes
  UNION ALL
  SELECT 'split', 'request_log', 2,
         (SELECT count(*) FROM bench_rb_split.request_log),
         (SELECT round(avg(pg_column_size(t.*))) FROM bench_rb_split.request_log t),
         (SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree('bench_rb_split.request_log')),
         (SELECT sum(pg_table_size(relid) - pg_relation_size(relid)) FROM pg_partition_tree('bench_rb_split.request_log')),
         (SELECT sum(pg_indexes_size(relid)) FROM pg_partition_tree('bench_rb_split.request_log'))
  UNION ALL
  SELECT 'split', 'request_bodies', 3,
         (SELECT count(*) FROM bench_rb_split.request_bodies),
         (SELECT round(avg(pg_column_size(t.*))) FROM bench_rb_split.request_bodies t),
         (SELECT sum(pg_relation_size(relid)) FROM pg_partition_tree('bench_rb_split.request_bodies')),
         (SELECT sum(pg_table_size(relid) - pg_relation_size(relid)) FROM pg_partition_tree('bench_rb_split.request_bodies')),
         (SELECT sum(pg_indexes_size(relid)) FROM pg_partition_tree('bench_rb_split.request_bodies'))
) sizes ORDER BY o;

-- The queries whose cost follows the record's size: a newest page, stats over one day (reads every row of it), and
-- one record by id with its bodies (the split layout joins request_bodies, as PostgresRequestLogStore.get does).
\echo === inline
SET search_path = bench_rb_inline;
\echo newest page
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) SELECT id, started_at, requested_model, status, latency_ms, attempts, routing
  FROM request_log ORDER BY started_at DESC, id DESC LIMIT 51;
\echo stats, 24 h window, by provider
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) SELECT provider, count(*), sum(input_tokens), sum(cost_usd),
  percentile_cont(ARRAY[0.5, 0.95, 0.99]::double precision[]) WITHIN GROUP (ORDER BY latency_ms)
  FROM request_log WHERE started_at >= 1767225600000 + 5 * 86400000::bigint AND started_at < 1767225600000 + 6 * 86400000::bigint GROUP BY 1;
\echo one record by id, with bodies
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) SELECT * FROM request_log WHERE id = 'req_0000012345';
\echo === split
SET search_path = bench_rb_split;
\echo newest page
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) SELECT id, started_at, requested_model, status, latency_ms, attempts, routing
  FROM request_log ORDER BY started_at DESC, id DESC LIMIT 51;
\echo stats, 24 h window, by provider
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) SELECT provider, count(*), sum(input_tokens), sum(cost_usd),
  percentile_cont(ARRAY[0.5, 0.95, 0.99]::double precision[]) WITHIN GROUP (ORDER BY latency_ms)
  FROM request_log WHERE started_at >= 1767225600000 + 5 * 86400000::bigint AND started_at < 1767225600000 + 6 * 86400000::bigint GROUP BY 1;
\echo one record by id, with bodies
EXPLAIN (ANALYZE, BUFFERS, COSTS OFF, TIMING OFF) SELECT l.*, b.request_body, b.response_body FROM request_log l
  LEFT JOIN LATERAL (SELECT request_body, response_body FROM request_bodies WHERE id = l.id AND started_at = l.started_at OFFSET 0) b
  ON true WHERE l.id = 'req_0000012345';
RESET search_path;
DROP SCHEMA bench_rb_inline CASCADE;
DROP SCHEMA bench_rb_split CASCADE;
