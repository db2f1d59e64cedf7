-- Included by request-log-scale.sql once per layout; `search_path` selects the layout. Each query is what
-- PostgresRequestLogStore sends (list columns abridged), parameters inlined; only the summary lines matter.
\echo Q1 newest page
EXPLAIN (ANALYZE, COSTS OFF) SELECT id, started_at, requested_model, status, latency_ms FROM request_log
  ORDER BY started_at DESC, id DESC LIMIT 51;
\echo Q2a model + error filter with matches (1 row in 40), newest page
EXPLAIN (ANALYZE, COSTS OFF) SELECT id, started_at, requested_model, status, latency_ms FROM request_log
  WHERE (requested_model = 'model-4' OR model = 'model-4') AND status >= 400 ORDER BY started_at DESC, id DESC LIMIT 51;
\echo Q2 model + error filter matching nothing (worst case), newest page
EXPLAIN (ANALYZE, COSTS OFF) SELECT id, started_at, requested_model, status, latency_ms FROM request_log
  WHERE (requested_model = 'model-3' OR model = 'model-3') AND status >= 400 ORDER BY started_at DESC, id DESC LIMIT 51;
\echo Q2u the same as the store sends it since migration 11: one index-ordered branch per model column
EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM (
  (SELECT id, started_at, requested_model, status, latency_ms FROM request_log WHERE requested_model = 'model-3' AND status >= 400 ORDER BY started_at DESC, id DESC LIMIT 51)
  UNION ALL
  (SELECT id, started_at, requested_model, status, latency_ms FROM request_log WHERE model = 'model-3' AND status >= 400 ORDER BY started_at DESC, id DESC LIMIT 51)
) AS matched ORDER BY started_at DESC, id DESC LIMIT 102;
\echo Q2m model filter alone (the union form), newest page
EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM (
  (SELECT id, started_at, requested_model, status, latency_ms FROM request_log WHERE requested_model = 'model-3' ORDER BY started_at DESC, id DESC LIMIT 51)
  UNION ALL
  (SELECT id, started_at, requested_model, status, latency_ms FROM request_log WHERE model = 'model-3' ORDER BY started_at DESC, id DESC LIMIT 51)
) AS matched ORDER BY started_at DESC, id DESC LIMIT 102;
\echo Q2o model filter alone (the OR form the store sent before migration 11), newest page
EXPLAIN (ANALYZE, COSTS OFF) SELECT id, started_at, requested_model, status, latency_ms FROM request_log
  WHERE (requested_model = 'model-3' OR model = 'model-3') ORDER BY started_at DESC, id DESC LIMIT 51;
\echo Q3 provider + 1 day range, cursor page 10 days back
EXPLAIN (ANALYZE, COSTS OFF) SELECT id, started_at, requested_model, status, latency_ms FROM request_log
  WHERE provider = 'prov-2' AND started_at >= 1767225600000 + 19 * 86400000::bigint AND started_at < 1767225600000 + 20 * 86400000::bigint
    AND (started_at < 1767225600000 + 19 * 86400000::bigint + 43200000 OR (started_at = 1767225600000 + 19 * 86400000::bigint + 43200000 AND id < 'req_9'))
  ORDER BY started_at DESC, id DESC LIMIT 51;
\echo Q4 text search in errors, newest page
EXPLAIN (ANALYZE, COSTS OFF) SELECT id, started_at, requested_model, status, latency_ms FROM request_log
  WHERE (error_code ILIKE '%timeout%' OR error_message ILIKE '%timeout%') ORDER BY started_at DESC, id DESC LIMIT 51;
\echo Q5 get one record by id
EXPLAIN (ANALYZE, COSTS OFF) SELECT * FROM request_log WHERE id = 'req_0000012345';
\echo Q6 stats 1h window by model
EXPLAIN (ANALYZE, COSTS OFF) SELECT requested_model, count(*), sum(CASE WHEN status >= 400 THEN 1 ELSE 0 END), sum(input_tokens), sum(cost_usd),
  percentile_cont(ARRAY[0.5, 0.95, 0.99]::double precision[]) WITHIN GROUP (ORDER BY latency_ms),
  percentile_cont(ARRAY[0.5, 0.95, 0.99]::double precision[]) WITHIN GROUP (ORDER BY ttft_ms)
  FROM request_log WHERE started_at >= 1769817600000 - 3600000 AND started_at < 1769817600000 GROUP BY 1;
\echo Q7 stats 24h window by provider
EXPLAIN (ANALYZE, COSTS OFF) SELECT provider, count(*), sum(CASE WHEN status >= 400 THEN 1 ELSE 0 END), sum(input_tokens), sum(cost_usd),
  percentile_cont(ARRAY[0.5, 0.95, 0.99]::double precision[]) WITHIN GROUP (ORDER BY latency_ms),
  percentile_cont(ARRAY[0.5, 0.95, 0.99]::double precision[]) WITHIN GROUP (ORDER BY ttft_ms)
  FROM request_log WHERE started_at >= 1769817600000 - 86400000 AND started_at < 1769817600000 GROUP BY 1;
