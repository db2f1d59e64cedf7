import type { AggregateRow, AggregateWindow, Percentiles } from '../../ports/request-log-store.js';

/** The percentiles every aggregate reports. */
export const PERCENTILES = [0.5, 0.95, 0.99] as const;

/** The label of requests that have no value for the grouping column (e.g. failed before any provider served). */
const NO_GROUP = '(none)';

/** The SQL expression a window is grouped by (identical in SQLite and Postgres). */
export function groupExpression(groupBy: AggregateWindow['groupBy']): string {
  return GROUP_EXPRESSIONS[groupBy];
}

const GROUP_EXPRESSIONS: Record<AggregateWindow['groupBy'], string> = {
  model: `coalesce(requested_model, '${NO_GROUP}')`,
  provider: `coalesce(provider, '${NO_GROUP}')`,
  key: `coalesce(key_id, '${NO_GROUP}')`,
  // A text cast, so Postgres groups by a typed constant rather than an unknown literal.
  all: `CAST('all' AS TEXT)`,
};

/** Per-group sums and counts as read from either backend (numbers may arrive as strings). */
export interface GroupTotals {
  key: unknown;
  count: unknown;
  errors: unknown;
  fallbacks: unknown;
  input: unknown;
  cacheRead: unknown;
  cacheWrite: unknown;
  output: unknown;
  reasoning: unknown;
  cost: unknown;
}

function toNumber(value: unknown): number {
  const parsed = typeof value === 'number' ? value : Number(value ?? 0);
  return Number.isFinite(parsed) ? parsed : 0;
}

function round(value: number, digits: number): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

/** Where the p-th percentile of n sorted values sits: the lower offset and the interpolation fraction. */
export function percentilePosition(count: number, p: number): { offset: number; fraction: number } {
  const position = p * (count - 1);
  const offset = Math.floor(position);
  return { offset, fraction: position - offset };
}

/** Linear interpolation between the two neighbouring ordered values, as `percentile_cont` does. */
export function interpolate(lower: number, upper: number | undefined, fraction: number): number {
  return upper === undefined || fraction === 0 ? lower : lower + (upper - lower) * fraction;
}

/** Percentiles from values in PERCENTILES order, rounded so both backends report identical numbers. */
export function toPercentiles(values: readonly (number | null | undefined)[]): Percentiles | undefined {
  const [p50, p95, p99] = values;
  if (p50 === null || p50 === undefined || p95 === null || p95 === undefined || p99 === null || p99 === undefined) {
    return undefined;
  }
  return { p50: round(Number(p50), 3), p95: round(Number(p95), 3), p99: round(Number(p99), 3) };
}

/** Assembles one aggregate row from a group's totals and its percentiles. */
export function toAggregateRow(totals: GroupTotals, latency: Percentiles | undefined, ttft: Percentiles | undefined): AggregateRow {
  const count = toNumber(totals.count);
  const errorCount = toNumber(totals.errors);
  const row: AggregateRow = {
    key: String(totals.key),
    count,
    errorCount,
    errorRate: count === 0 ? 0 : round(errorCount / count, 6),
    fallbackRate: count === 0 ? 0 : round(toNumber(totals.fallbacks) / count, 6),
    latencyMs: latency ?? { p50: 0, p95: 0, p99: 0 },
    tokens: {
      input: toNumber(totals.input),
      cacheRead: toNumber(totals.cacheRead),
      cacheWrite: toNumber(totals.cacheWrite),
      output: toNumber(totals.output),
      reasoning: toNumber(totals.reasoning),
    },
  };
  if (ttft) row.ttftMs = ttft;
  if (totals.cost !== null && totals.cost !== undefined) row.costUsd = round(toNumber(totals.cost), 9);
  return row;
}

/** Orders groups busiest first, ties by key in code-point order, identically for every backend. */
export function sortAggregateRows(rows: AggregateRow[]): AggregateRow[] {
  return rows.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The SELECT list of per-group totals, aliased to GroupTotals' fields. */
export function totalsSelect(groupBy: AggregateWindow['groupBy']): string {
  return [
    `${groupExpression(groupBy)} AS "key"`,
    'count(*) AS "count"',
    'sum(CASE WHEN status >= 400 THEN 1 ELSE 0 END) AS "errors"',
    'sum(CASE WHEN attempt_count > 1 THEN 1 ELSE 0 END) AS "fallbacks"',
    'sum(input_tokens) AS "input"',
    'sum(cache_read_tokens) AS "cacheRead"',
    'sum(cache_write_tokens) AS "cacheWrite"',
    'sum(output_tokens) AS "output"',
    'sum(reasoning_tokens) AS "reasoning"',
    'sum(cost_usd) AS "cost"',
  ].join(', ');
}
