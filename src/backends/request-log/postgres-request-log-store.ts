import pg from 'pg';
import {
  RequestLogRejectedError,
  encodeRequestLogCursor,
  type AggregateRow,
  type AggregateWindow,
  type FeedbackEntry,
  type FeedbackSummaryRow,
  type RequestLogPage,
  type RequestLogQuery,
  type RequestLogStore,
  type StoredRequestLogRecord,
} from '../../ports/request-log-store.js';
import { PERCENTILES, sortAggregateRows, toAggregateRow, toPercentiles, totalsSelect, type GroupTotals } from './aggregate-rows.js';
import { distinctRows, postgresListQuery } from './postgres-list-query.js';
import { feedbackSummarySql, toFeedbackSummaryRow, upsertFeedbackParams, upsertFeedbackSql } from './feedback-sql.js';
import type { ComparisonPage, StoredComparison } from '../../ports/comparison.js';
import { COMPARISON_COLUMNS, comparisonFromRow, comparisonPage, comparisonPaging, comparisonValues } from './comparison-rows.js';
import type { StoredResponse } from '../../ports/response-store.js';
import { applyPostgresMigrations } from './migrations/apply-postgres-migrations.js';
import { ACTIVE_STATUSES_SQL, STORED_RESPONSE_COLUMNS, storedResponseFromRow, storedResponseValues } from './stored-response-rows.js';
import {
  DAY_MS,
  dayStart,
  parsePartitionBound,
  partitionName,
  uncoveredDays,
  type PartitionRange,
  type PartitionedTable,
} from './request-log-partitions.js';
import {
  LIST_COLUMNS,
  REQUEST_BODY_COLUMNS,
  REQUEST_LOG_COLUMNS,
  fromRow,
  toBodyValues,
  toColumnValues,
  type ColumnValue,
} from './request-log-columns.js';

export interface PostgresRequestLogStoreOptions {
  connectionString: string;
  /** Schema holding the tables (created by `migrate`); default: the server's search_path (usually `public`). */
  schema?: string;
  /** Pool size; default 4 (writes are batched, one at a time). */
  maxConnections?: number;
  /** Called for errors on idle pooled connections (e.g. the server restarted); they must not crash the gateway. */
  onError?: (error: Error) => void;
  /** Wall clock, epoch ms; decides which daily partitions the retention run creates ahead. Default `Date.now`. */
  now?: () => number;
}

/** Postgres caps a statement at 65,535 parameters; larger batches are split (counting a body row for every record). */
const ROWS_PER_STATEMENT = Math.floor(65_535 / (REQUEST_LOG_COLUMNS.length + REQUEST_BODY_COLUMNS.length));
/**
 * In the order the insert locks them (its bodies CTE before the record): creating a partition takes an exclusive lock on
 * its parent, so creating them in the other order could deadlock with another replica's insert.
 */
const PARTITIONED_TABLES: readonly PartitionedTable[] = ['request_bodies', 'request_log'];
const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
/** Serialises partition creation and dropping across replicas. */
const PARTITION_LOCK_KEY = 7_413_190_226;
/** Days of partitions the retention run creates beyond today, so midnight never waits on DDL. */
const PARTITION_DAYS_AHEAD = 2;
/** A row with no partition for its day (another replica dropped or has not yet created it). */
const NO_PARTITION_SQLSTATE = '23514';
/** SQLSTATE classes 22 (data exception) and 23 (integrity violation) mean retrying the same rows cannot succeed. */
const REJECTING_SQLSTATE = /^2[23]/;

/** Postgres text cannot hold NUL characters, and jsonb rejects the `\u0000` escape. */
function withoutNul(value: ColumnValue): ColumnValue {
  return typeof value === 'string' ? value.replaceAll('\u0000', '').replace(/(?<!\\)\\u0000/g, '') : value;
}

/** The production request log: a pg Pool, multi-row inserts that skip ids already stored, `percentile_cont`. */
export class PostgresRequestLogStore implements RequestLogStore {
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;
  private readonly now: () => number;
  /** Day starts known to have a partition, so most batches skip the catalog lookup. */
  private readonly partitionedDays = new Set<number>();

  /** Creates the pool; nothing connects until the first call. */
  constructor(options: PostgresRequestLogStoreOptions) {
    if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
      throw new RangeError(`Invalid Postgres schema name: ${options.schema}`);
    }
    this.schema = options.schema;
    this.now = options.now ?? Date.now;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: options.maxConnections ?? 4,
      connectionTimeoutMillis: 5_000,
      query_timeout: 30_000,
      ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
    });
    this.pool.on('error', options.onError ?? (() => undefined));
  }

  async migrate(): Promise<void> {
    await applyPostgresMigrations(this.pool, this.schema);
  }

  async insertBatch(records: StoredRequestLogRecord[]): Promise<void> {
    for (let start = 0; start < records.length; start += ROWS_PER_STATEMENT) {
      const chunk = records.slice(start, start + ROWS_PER_STATEMENT);
      const bodies = chunk.map(toBodyValues);
      const values = [
        ...chunk.flatMap((record, index) => toColumnValues(record, bodies[index] !== undefined).map(withoutNul)),
        ...bodies.flatMap((row) => row?.map(withoutNul) ?? []),
      ];
      const statement = this.insertStatement(chunk.length, bodies.filter((row) => row !== undefined).length);
      const days = chunk.map((record) => dayStart(record.startedAt));
      try {
        await this.ensurePartitions(days);
        await this.pool.query(statement, values).catch(async (error: unknown) => {
          if ((error as { code?: unknown }).code !== NO_PARTITION_SQLSTATE) throw error;
          this.partitionedDays.clear();
          await this.ensurePartitions(days);
          await this.pool.query(statement, values);
        });
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (typeof code === 'string' && REJECTING_SQLSTATE.test(code)) {
          throw new RequestLogRejectedError(`Postgres rejected the batch (SQLSTATE ${code})`, { cause: error });
        }
        throw error;
      }
    }
  }

  async query(filter: RequestLogQuery): Promise<RequestLogPage> {
    const { text, values, limit } = postgresListQuery(filter, LIST_COLUMNS);
    const rows = distinctRows((await this.pool.query<Record<string, unknown>>(text, values)).rows);
    const records = rows.slice(0, limit).map(fromRow);
    const last = records.at(-1);
    return rows.length > limit && last ? { records, nextCursor: encodeRequestLogCursor(last) } : { records };
  }

  async get(id: string): Promise<StoredRequestLogRecord | undefined> {
    // OFFSET 0 keeps the bodies' subquery parameterised by the record's started_at, so runtime pruning reads the one
    // body partition of its day; a plain join would probe every body partition by id.
    const result = await this.pool.query<Record<string, unknown>>(
      `SELECT ${REQUEST_LOG_COLUMNS.map((column) => `l.${column}`).join(', ')}, b.request_body, b.response_body
       FROM request_log l LEFT JOIN LATERAL (
         SELECT request_body, response_body FROM request_bodies WHERE id = l.id AND started_at = l.started_at OFFSET 0
       ) b ON true WHERE l.id = $1`,
      [id],
    );
    const row = result.rows[0];
    return row ? fromRow(row) : undefined;
  }

  async aggregate(window: AggregateWindow): Promise<AggregateRow[]> {
    const fractions = `ARRAY[${PERCENTILES.join(', ')}]::double precision[]`;
    const result = await this.pool.query<Record<string, unknown>>(
      `SELECT ${totalsSelect(window.groupBy)},
         percentile_cont(${fractions}) WITHIN GROUP (ORDER BY latency_ms) AS "latency",
         percentile_cont(${fractions}) WITHIN GROUP (ORDER BY ttft_ms) AS "ttft"
       FROM request_log WHERE started_at >= $1 AND started_at < $2 GROUP BY 1`,
      [window.from, window.to],
    );
    const percentiles = (value: unknown): (number | null)[] => (Array.isArray(value) ? (value as (number | null)[]) : []);
    return sortAggregateRows(
      result.rows.map((row) =>
        toAggregateRow(row as unknown as GroupTotals, toPercentiles(percentiles(row.latency)), toPercentiles(percentiles(row.ttft))),
      ),
    );
  }

  async upsertFeedback(entry: FeedbackEntry): Promise<void> {
    await this.pool.query(upsertFeedbackSql((index) => `$${index}`), upsertFeedbackParams(entry));
  }

  async feedbackSummary(window: { from: number; to: number }): Promise<FeedbackSummaryRow[]> {
    const result = await this.pool.query<Record<string, unknown>>(feedbackSummarySql((index) => `$${index}`), [window.from, window.to]);
    return result.rows.map(toFeedbackSummaryRow);
  }

  /** Creates the coming days' partitions, then drops the expired records (see `dropExpired`) and their bodies. */
  async prune(olderThanMs: number): Promise<number> {
    const today = dayStart(this.now());
    await this.ensurePartitions(Array.from({ length: PARTITION_DAYS_AHEAD + 1 }, (_, index) => today + index * DAY_MS));
    const deleted = await this.dropExpired('request_log', olderThanMs);
    await this.dropExpired('request_bodies', olderThanMs);
    return deleted;
  }

  async pruneBodies(olderThanMs: number): Promise<number> {
    return this.dropExpired('request_bodies', olderThanMs);
  }

  /** The partitions of `table` with their ranges (the attached pre-partitioning `request_log_legacy` included). */
  async listPartitions(client: pg.ClientBase | pg.Pool = this.pool, table: PartitionedTable = 'request_log'): Promise<PartitionRange[]> {
    const result = await client.query<{ name: string; bound: string }>(
      `SELECT c.relname AS name, pg_get_expr(c.relpartbound, c.oid) AS bound
       FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
       WHERE i.inhparent = $1::regclass ORDER BY name`,
      [table],
    );
    return result.rows.flatMap((row) => parsePartitionBound(row.name, row.bound) ?? []);
  }

  async saveComparison(comparison: StoredComparison): Promise<void> {
    await this.pool.query(
      `INSERT INTO comparisons (${COMPARISON_COLUMNS.join(', ')}) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (id) DO NOTHING`,
      comparisonValues(comparison).map(withoutNul),
    );
  }

  async listComparisons(page: { limit?: number; cursor?: string }): Promise<ComparisonPage> {
    const { limit, after } = comparisonPaging(page);
    const where = after ? 'WHERE (started_at, id) < ($2, $3)' : '';
    const params = after ? [limit + 1, after.startedAt, after.id] : [limit + 1];
    const result = await this.pool.query<Record<string, unknown>>(
      `SELECT ${COMPARISON_COLUMNS.join(', ')} FROM comparisons ${where} ORDER BY started_at DESC, id DESC LIMIT $1`,
      params,
    );
    return comparisonPage(result.rows, limit);
  }

  async getComparison(id: string): Promise<StoredComparison | undefined> {
    const result = await this.pool.query<Record<string, unknown>>(`SELECT ${COMPARISON_COLUMNS.join(', ')} FROM comparisons WHERE id = $1`, [id]);
    const row = result.rows[0];
    return row ? comparisonFromRow(row) : undefined;
  }

  async saveResponse(response: StoredResponse): Promise<void> {
    const columns = STORED_RESPONSE_COLUMNS.join(', ');
    const updates = STORED_RESPONSE_COLUMNS.filter((column) => column !== 'id').map((column) => `${column} = EXCLUDED.${column}`).join(', ');
    await this.pool.query(
      `INSERT INTO stored_responses (${columns}) VALUES (${STORED_RESPONSE_COLUMNS.map((_, i) => `$${i + 1}`).join(', ')})
       ON CONFLICT (id) DO UPDATE SET ${updates}`,
      storedResponseValues(response),
    );
  }

  async updateActiveResponse(response: StoredResponse): Promise<boolean> {
    const [id, owner, , status, inputItems, body] = storedResponseValues(response);
    const result = await this.pool.query(
      `UPDATE stored_responses SET status = $1, input_items = $2, response = $3 WHERE id = $4 AND owner = $5 AND status IN ${ACTIVE_STATUSES_SQL}`,
      [status, inputItems, body, id, owner],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async getResponse(id: string, owner: string): Promise<StoredResponse | undefined> {
    const result = await this.pool.query<Record<string, unknown>>(
      `SELECT ${STORED_RESPONSE_COLUMNS.join(', ')} FROM stored_responses WHERE id = $1 AND owner = $2`,
      [id, owner],
    );
    const row = result.rows[0];
    return row ? storedResponseFromRow(row) : undefined;
  }

  async deleteResponse(id: string, owner: string): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM stored_responses WHERE id = $1 AND owner = $2', [id, owner]);
    return (result.rowCount ?? 0) > 0;
  }

  async pruneResponses(olderThanMs: number): Promise<number> {
    const result = await this.pool.query('DELETE FROM stored_responses WHERE created_at < $1', [olderThanMs]);
    return result.rowCount ?? 0;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /**
   * Drops every partition of `table` wholly older than the cutoff (counting its rows first), then deletes the expired
   * rows of the one partition the cutoff falls in; resolves to the rows deleted.
   */
  private async dropExpired(table: PartitionedTable, olderThanMs: number): Promise<number> {
    let deleted = 0;
    await this.inLockedTransaction(PARTITION_LOCK_KEY, async (client) => {
      for (const partition of await this.listPartitions(client, table)) {
        if (partition.upper > olderThanMs) continue;
        const counted = await client.query<{ n: string }>(`SELECT count(*) AS n FROM "${partition.name}"`);
        await client.query(`DROP TABLE "${partition.name}"`);
        deleted += Number(counted.rows[0]?.n ?? 0);
      }
    });
    this.partitionedDays.clear();
    const result = await this.pool.query(`DELETE FROM ${table} WHERE started_at < $1`, [olderThanMs]);
    return deleted + (result.rowCount ?? 0);
  }

  /**
   * Creates the daily partitions of the record and its bodies missing for these day starts (once per day per process;
   * replicas serialise on a lock).
   */
  private async ensurePartitions(days: readonly number[]): Promise<void> {
    const missing = [...new Set(days)].filter((day) => !this.partitionedDays.has(day));
    if (missing.length === 0) return;
    await this.inLockedTransaction(PARTITION_LOCK_KEY, async (client) => {
      for (const table of PARTITIONED_TABLES) {
        for (const day of uncoveredDays(missing, await this.listPartitions(client, table))) {
          await client.query(
            `CREATE TABLE IF NOT EXISTS "${partitionName(day, table)}" PARTITION OF ${table} FOR VALUES FROM (${day}) TO (${day + DAY_MS})`,
          );
        }
      }
    });
    for (const day of missing) this.partitionedDays.add(day);
  }

  /**
   * Runs `work` in one transaction holding an advisory lock. A checked-out client emits 'error' when its connection
   * drops (the pool listens only while it is idle), so it is listened to here and discarded rather than reused.
   */
  private async inLockedTransaction(lockKey: number, work: (client: pg.PoolClient) => Promise<void>): Promise<void> {
    const client = await this.pool.connect();
    let broken: Error | undefined;
    const onError = (error: Error): void => {
      broken = error;
    };
    client.on('error', onError);
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1)', [lockKey]);
      await work(client);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.off('error', onError);
      client.release(broken);
    }
  }

  /**
   * The multi-row INSERT for a given count of records and of body rows (parameters: the records' columns, then the
   * bodies'), built per batch: caching every size would hold megabytes of SQL. Bodies go in through a data-modifying
   * CTE, so a record and its bodies are written by one atomic statement in one round trip.
   */
  private insertStatement(rows: number, bodyRows: number): string {
    const tuples = (columns: readonly string[], count: number, first: number): string =>
      Array.from({ length: count }, (_, row) => `(${columns.map((_column, column) => `$${first + row * columns.length + column}`).join(', ')})`).join(', ');
    const records = `INSERT INTO request_log (${REQUEST_LOG_COLUMNS.join(', ')}) VALUES ${tuples(REQUEST_LOG_COLUMNS, rows, 1)} ON CONFLICT (id, started_at) DO NOTHING`;
    if (bodyRows === 0) return records;
    const bodies = `INSERT INTO request_bodies (${REQUEST_BODY_COLUMNS.join(', ')}) VALUES ${tuples(REQUEST_BODY_COLUMNS, bodyRows, rows * REQUEST_LOG_COLUMNS.length + 1)} ON CONFLICT (id, started_at) DO NOTHING`;
    return `WITH bodies AS (${bodies}) ${records}`;
  }
}
