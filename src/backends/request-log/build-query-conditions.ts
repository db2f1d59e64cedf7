import { decodeRequestLogCursor, type RequestLogQuery } from '../../ports/request-log-store.js';

/** Default and maximum page sizes for `query`. */
const DEFAULT_PAGE_SIZE = 50;
const MAX_PAGE_SIZE = 1000;

export interface QueryConditions {
  /** `WHERE …` clause, or an empty string when nothing filters. */
  where: string;
  params: (string | number)[];
  limit: number;
}

/** Escapes LIKE wildcards so user text matches literally (used with `ESCAPE '\'`). */
function likePattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, (char) => `\\${char}`)}%`;
}

/** The columns a `model` filter matches: the name the client asked for, or the upstream model that served it. */
export type ModelColumn = 'requested_model' | 'model';

/**
 * Builds the WHERE clause for a list query. `placeholder(n)` renders the n-th (1-based) parameter in the backend's
 * syntax; `likeOperator` is `LIKE` (SQLite, already case-insensitive for ASCII) or `ILIKE` (Postgres); `modelColumn`
 * narrows a `model` filter to one of its two columns (default: either). Throws RangeError for a malformed cursor.
 */
export function buildQueryConditions(
  filter: RequestLogQuery,
  placeholder: (index: number) => string,
  likeOperator: 'LIKE' | 'ILIKE',
  modelColumn?: ModelColumn,
): QueryConditions {
  const clauses: string[] = [];
  const params: (string | number)[] = [];
  const param = (value: string | number): string => {
    params.push(value);
    return placeholder(params.length);
  };
  if (filter.from !== undefined) clauses.push(`started_at >= ${param(filter.from)}`);
  if (filter.to !== undefined) clauses.push(`started_at < ${param(filter.to)}`);
  if (filter.model !== undefined) {
    clauses.push(modelColumn ? `${modelColumn} = ${param(filter.model)}` : `(requested_model = ${param(filter.model)} OR model = ${param(filter.model)})`);
  }
  if (filter.provider !== undefined) clauses.push(`provider = ${param(filter.provider)}`);
  if (filter.keyId !== undefined) clauses.push(`key_id = ${param(filter.keyId)}`);
  if (filter.status === 'ok') clauses.push('status < 400');
  else if (filter.status === 'error') clauses.push('status >= 400');
  else if (filter.status !== undefined) clauses.push(`status = ${param(filter.status)}`);
  if (filter.fallback !== undefined) clauses.push(filter.fallback ? 'attempt_count > 1' : 'attempt_count <= 1');
  if (filter.text !== undefined && filter.text !== '') {
    const pattern = likePattern(filter.text);
    clauses.push(
      `(error_message ${likeOperator} ${param(pattern)} ESCAPE '\\' OR error_code ${likeOperator} ${param(pattern)} ESCAPE '\\')`,
    );
  }
  if (filter.cursor !== undefined) {
    const position = decodeRequestLogCursor(filter.cursor);
    if (!position) throw new RangeError('cursor is malformed');
    clauses.push(
      `(started_at < ${param(position.startedAt)} OR (started_at = ${param(position.startedAt)} AND id < ${param(position.id)}))`,
    );
  }
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(filter.limit ?? DEFAULT_PAGE_SIZE)));
  return { where: clauses.length > 0 ? `WHERE ${clauses.join(' AND ')}` : '', params, limit };
}
