import type { ComparisonPage, StoredComparison } from '../../ports/comparison.js';
import { decodeRequestLogCursor, encodeRequestLogCursor } from '../../ports/request-log-store.js';

/** Columns of the comparisons table, in insert order. */
export const COMPARISON_COLUMNS = ['id', 'started_at', 'models', 'request', 'legs', 'judge'] as const;

/** Postgres returns jsonb parsed and SQLite returns text. */
function parsed(value: unknown): unknown {
  return typeof value === 'string' ? (JSON.parse(value) as unknown) : value;
}

/** A comparison as column values (JSON as text; both backends accept it). */
export function comparisonValues(comparison: StoredComparison): Array<string | number | null> {
  const { id, created_at: createdAt, models, request, legs, judge } = comparison;
  return [id, createdAt, JSON.stringify(models), JSON.stringify(request), JSON.stringify(legs), judge === undefined ? null : JSON.stringify(judge)];
}

/** Rebuilds a comparison from a row of either backend. */
export function comparisonFromRow(row: Record<string, unknown>): StoredComparison {
  return {
    id: String(row.id),
    created_at: Number(row.started_at),
    models: parsed(row.models) as string[],
    request: parsed(row.request),
    legs: parsed(row.legs) as StoredComparison['legs'],
    ...(row.judge === null || row.judge === undefined ? {} : { judge: parsed(row.judge) as NonNullable<StoredComparison['judge']> }),
  };
}

/** The page size asked for, clamped, and the position a cursor names. */
export function comparisonPaging(page: { limit?: number; cursor?: string }): { limit: number; after?: { startedAt: number; id: string } } {
  const limit = Math.min(100, Math.max(1, Math.floor(page.limit ?? 20)));
  if (page.cursor === undefined) return { limit };
  const after = decodeRequestLogCursor(page.cursor);
  if (!after) throw new RangeError('cursor is malformed');
  return { limit, after };
}

/** Cuts the one-extra row that says whether another page exists. */
export function comparisonPage(rows: Record<string, unknown>[], limit: number): ComparisonPage {
  const comparisons = rows.slice(0, limit).map(comparisonFromRow);
  const last = comparisons.at(-1);
  return rows.length > limit && last ? { comparisons, nextCursor: encodeRequestLogCursor({ startedAt: last.created_at, id: last.id }) } : { comparisons };
}
