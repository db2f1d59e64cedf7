import type { RequestLogQuery } from '../../ports/request-log-store.js';
import { buildQueryConditions } from './build-query-conditions.js';

/** One list query for Postgres: its text, parameters and the page size asked for. */
export interface PostgresListQuery {
  text: string;
  values: (string | number)[];
  limit: number;
}

const ORDER = 'ORDER BY started_at DESC, id DESC';

/**
 * The admin list query in Postgres syntax, fetching one row past the page to tell whether another follows. A `model`
 * filter matches either of two columns; an `OR` of them cannot walk an index in page order, so Postgres would read
 * every row of that model (seconds at 10 M rows). Each column gets its own index-ordered branch instead, and the
 * caller keeps the first `limit + 1` distinct ids of the merged rows (a row matching both comes twice).
 */
export function postgresListQuery(filter: RequestLogQuery, columns: readonly string[]): PostgresListQuery {
  const select = `SELECT ${columns.join(', ')} FROM request_log`;
  if (filter.model === undefined) {
    const conditions = buildQueryConditions(filter, (index) => `$${index}`, 'ILIKE');
    const limitParam = `$${conditions.params.length + 1}`;
    return { text: `${select} ${conditions.where} ${ORDER} LIMIT ${limitParam}`, values: [...conditions.params, conditions.limit + 1], limit: conditions.limit };
  }
  const requested = buildQueryConditions(filter, (index) => `$${index}`, 'ILIKE', 'requested_model');
  const offset = requested.params.length;
  const served = buildQueryConditions(filter, (index) => `$${index + offset}`, 'ILIKE', 'model');
  const limitParam = `$${offset * 2 + 1}`;
  const branch = (where: string): string => `(${select} ${where} ${ORDER} LIMIT ${limitParam})`;
  return {
    text: `SELECT * FROM (${branch(requested.where)} UNION ALL ${branch(served.where)}) AS matched ${ORDER} LIMIT ${limitParam} * 2`,
    values: [...requested.params, ...served.params, requested.limit + 1],
    limit: requested.limit,
  };
}

/** Rows in page order without the second copy of a row both branches matched. */
export function distinctRows<T extends { id?: unknown }>(rows: readonly T[]): T[] {
  const seen = new Set<unknown>();
  return rows.filter((row) => (seen.has(row.id) ? false : (seen.add(row.id), true)));
}
