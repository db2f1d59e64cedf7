import type { FeedbackEntry, FeedbackSummaryRow } from '../../ports/request-log-store.js';

/** The upsert both backends run; `(request_id, metric)` is the key, so a repeated score replaces the earlier one. */
export function upsertFeedbackSql(placeholder: (index: number) => string): string {
  const values = [1, 2, 3, 4, 5, 6].map(placeholder).join(', ');
  return `INSERT INTO request_feedback (request_id, metric, score, comment, created_at, updated_at) VALUES (${values})
    ON CONFLICT (request_id, metric) DO UPDATE SET score = excluded.score, comment = excluded.comment, updated_at = excluded.updated_at`;
}

/** The upsert's parameters, in `upsertFeedbackSql` order. */
export function upsertFeedbackParams(entry: FeedbackEntry): Array<string | number | null> {
  return [entry.requestId, entry.metric, entry.score, entry.comment ?? null, entry.at, entry.at];
}

/** The summary both backends run: feedback joined to its request, grouped per target and task class. */
export function feedbackSummarySql(placeholder: (index: number) => string): string {
  return `SELECT COALESCE(r.requested_model, '(none)') AS requested_model, COALESCE(r.provider, '(none)') AS provider,
      COALESCE(r.model, '(none)') AS model, COALESCE(r.task_class, '(none)') AS task_class, f.metric AS metric,
      count(*) AS count, avg(f.score) AS mean_score
    FROM request_feedback f JOIN request_log r ON r.id = f.request_id
    WHERE f.updated_at >= ${placeholder(1)} AND f.updated_at < ${placeholder(2)}
    GROUP BY 1, 2, 3, 4, 5 ORDER BY 1, 2, 3, 4, 5`;
}

/** A summary row from either backend (counts arrive as strings from Postgres). */
export function toFeedbackSummaryRow(row: Record<string, unknown>): FeedbackSummaryRow {
  return {
    requestedModel: String(row.requested_model),
    provider: String(row.provider),
    model: String(row.model),
    taskClass: String(row.task_class),
    metric: String(row.metric),
    count: Number(row.count),
    meanScore: Math.round(Number(row.mean_score) * 10_000) / 10_000,
  };
}
