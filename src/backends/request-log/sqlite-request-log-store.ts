import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import Database from 'better-sqlite3';
import {
  RequestLogRejectedError,
  encodeRequestLogCursor,
  type AggregateRow,
  type AggregateWindow,
  type FeedbackEntry,
  type FeedbackSummaryRow,
  type Percentiles,
  type RequestLogPage,
  type RequestLogQuery,
  type RequestLogStore,
  type StoredRequestLogRecord,
} from '../../ports/request-log-store.js';
import {
  PERCENTILES,
  groupExpression,
  interpolate,
  percentilePosition,
  sortAggregateRows,
  toAggregateRow,
  toPercentiles,
  totalsSelect,
  type GroupTotals,
} from './aggregate-rows.js';
import { buildQueryConditions } from './build-query-conditions.js';
import { feedbackSummarySql, toFeedbackSummaryRow, upsertFeedbackParams, upsertFeedbackSql } from './feedback-sql.js';
import type { ComparisonPage, StoredComparison } from '../../ports/comparison.js';
import { COMPARISON_COLUMNS, comparisonFromRow, comparisonPage, comparisonPaging, comparisonValues } from './comparison-rows.js';
import type { StoredResponse } from '../../ports/response-store.js';
import { applySqliteMigrations } from './migrations/apply-sqlite-migrations.js';
import { ACTIVE_STATUSES_SQL, STORED_RESPONSE_COLUMNS, storedResponseFromRow, storedResponseValues } from './stored-response-rows.js';
import { LIST_COLUMNS, REQUEST_LOG_COLUMNS, fromRow } from './request-log-columns.js';
import { createRecordInsert } from './sqlite-record-insert.js';
import type { WritePacing } from './write-pacing.js';

type Row = Record<string, unknown>;
type Metric = 'latency_ms' | 'ttft_ms';

/** Rows deleted per retention step; each step is one short write transaction, so inserts and queries run between. */
const PRUNE_BATCH_ROWS = 5_000;

/** SQLite result codes that mean the data itself cannot be stored; anything else (busy, I/O, full) may pass later. */
const REJECTING_CODES = /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/;

interface Statements {
  insertMany: (records: StoredRequestLogRecord[]) => void;
  get: Database.Statement<[string], Row>;
  pruneStep: Database.Statement<[number, number]>;
  pruneBodiesStep: Database.Statement<[number, number]>;
  upsertFeedback: Database.Statement<Array<string | number | null>>;
  feedbackSummary: Database.Statement<[number, number], Row>;
  totals: Record<AggregateWindow['groupBy'], Database.Statement<[number, number], Row>>;
  ordered: Record<`${AggregateWindow['groupBy']}:${Metric}`, Database.Statement<[number, number, string, number], Row>>;
}

/** The embedded request log: one SQLite file in WAL mode (or `:memory:`), written synchronously in one transaction. */
export class SqliteRequestLogStore implements RequestLogStore {
  private readonly db: Database.Database;
  private statements: Statements | undefined;
  private readonly listStatements = new Map<string, Database.Statement<unknown[], Row>>();
  private readonly pruneBatchRows: number;
  private readonly pacing: WritePacing | undefined;

  /** Opens (creating if needed) the database at `path`, or an in-memory one for `:memory:`. */
  constructor(path: string, options: { pruneBatchRows?: number; pacing?: WritePacing } = {}) {
    this.pruneBatchRows = options.pruneBatchRows ?? PRUNE_BATCH_ROWS;
    this.pacing = options.pacing;
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('busy_timeout = 5000');
  }

  async migrate(): Promise<void> {
    applySqliteMigrations(this.db);
  }

  async insertBatch(records: StoredRequestLogRecord[]): Promise<void> {
    if (records.length === 0) return;
    try {
      this.prepared().insertMany(records);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      if (typeof code === 'string' && REJECTING_CODES.test(code)) {
        throw new RequestLogRejectedError(`SQLite rejected the batch (${code})`, { cause: error });
      }
      throw error;
    }
  }

  async query(filter: RequestLogQuery): Promise<RequestLogPage> {
    const conditions = buildQueryConditions(filter, () => '?', 'LIKE');
    const sql = `SELECT ${LIST_COLUMNS.join(', ')} FROM request_log ${conditions.where} ORDER BY started_at DESC, id DESC LIMIT ?`;
    let statement = this.listStatements.get(sql);
    if (!statement) {
      statement = this.db.prepare<unknown[], Row>(sql);
      this.listStatements.set(sql, statement);
    }
    const rows = statement.all(...conditions.params, conditions.limit + 1);
    const records = rows.slice(0, conditions.limit).map(fromRow);
    const last = records.at(-1);
    return rows.length > conditions.limit && last ? { records, nextCursor: encodeRequestLogCursor(last) } : { records };
  }

  async get(id: string): Promise<StoredRequestLogRecord | undefined> {
    const row = this.prepared().get.get(id);
    return row ? fromRow(row) : undefined;
  }

  async aggregate(window: AggregateWindow): Promise<AggregateRow[]> {
    const statements = this.prepared();
    const groups = statements.totals[window.groupBy].all(window.from, window.to);
    const rows = groups.map((group) => {
      const key = String(group.key);
      const latency = this.percentiles(window, 'latency_ms', key, Number(group.count));
      const ttft = this.percentiles(window, 'ttft_ms', key, Number(group.ttftCount));
      return toAggregateRow(group as unknown as GroupTotals, latency, ttft);
    });
    return sortAggregateRows(rows);
  }

  async upsertFeedback(entry: FeedbackEntry): Promise<void> {
    this.prepared().upsertFeedback.run(...upsertFeedbackParams(entry));
  }

  async feedbackSummary(window: { from: number; to: number }): Promise<FeedbackSummaryRow[]> {
    return this.prepared().feedbackSummary.all(window.from, window.to).map(toFeedbackSummaryRow);
  }

  /** Deletes the expired records, then their bodies, in bounded steps (see `pruneInSteps`). */
  async prune(olderThanMs: number): Promise<number> {
    const deleted = await this.pruneInSteps(this.prepared().pruneStep, olderThanMs);
    await this.pruneInSteps(this.prepared().pruneBodiesStep, olderThanMs);
    return deleted;
  }

  async pruneBodies(olderThanMs: number): Promise<number> {
    return this.pruneInSteps(this.prepared().pruneBodiesStep, olderThanMs);
  }

  async saveComparison(comparison: StoredComparison): Promise<void> {
    this.db
      .prepare(`INSERT OR IGNORE INTO comparisons (${COMPARISON_COLUMNS.join(', ')}) VALUES (${COMPARISON_COLUMNS.map(() => '?').join(', ')})`)
      .run(...comparisonValues(comparison));
  }

  async listComparisons(page: { limit?: number; cursor?: string }): Promise<ComparisonPage> {
    const { limit, after } = comparisonPaging(page);
    const where = after ? 'WHERE (started_at < ? OR (started_at = ? AND id < ?))' : '';
    const params = after ? [after.startedAt, after.startedAt, after.id] : [];
    const rows = this.db
      .prepare<unknown[], Row>(`SELECT ${COMPARISON_COLUMNS.join(', ')} FROM comparisons ${where} ORDER BY started_at DESC, id DESC LIMIT ?`)
      .all(...params, limit + 1);
    return comparisonPage(rows, limit);
  }

  async getComparison(id: string): Promise<StoredComparison | undefined> {
    const row = this.db.prepare<[string], Row>(`SELECT ${COMPARISON_COLUMNS.join(', ')} FROM comparisons WHERE id = ?`).get(id);
    return row ? comparisonFromRow(row) : undefined;
  }

  async saveResponse(response: StoredResponse): Promise<void> {
    this.db
      .prepare(`INSERT OR REPLACE INTO stored_responses (${STORED_RESPONSE_COLUMNS.join(', ')}) VALUES (${STORED_RESPONSE_COLUMNS.map(() => '?').join(', ')})`)
      .run(...storedResponseValues(response));
  }

  async updateActiveResponse(response: StoredResponse): Promise<boolean> {
    const [id, owner, , status, inputItems, body] = storedResponseValues(response);
    const result = this.db
      .prepare(`UPDATE stored_responses SET status = ?, input_items = ?, response = ? WHERE id = ? AND owner = ? AND status IN ${ACTIVE_STATUSES_SQL}`)
      .run(status, inputItems, body, id, owner);
    return result.changes > 0;
  }

  async getResponse(id: string, owner: string): Promise<StoredResponse | undefined> {
    const row = this.db
      .prepare<[string, string], Row>(`SELECT ${STORED_RESPONSE_COLUMNS.join(', ')} FROM stored_responses WHERE id = ? AND owner = ?`)
      .get(id, owner);
    return row ? storedResponseFromRow(row) : undefined;
  }

  async deleteResponse(id: string, owner: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM stored_responses WHERE id = ? AND owner = ?').run(id, owner).changes > 0;
  }

  async pruneResponses(olderThanMs: number): Promise<number> {
    return this.db.prepare('DELETE FROM stored_responses WHERE created_at < ?').run(olderThanMs).changes;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** Deletes in steps of at most `pruneBatchRows`, yielding to the event loop between steps, so a huge backlog never holds the store thread. */
  private async pruneInSteps(step: Database.Statement<[number, number]>, olderThanMs: number): Promise<number> {
    let deleted = 0;
    for (;;) {
      const changes = step.run(olderThanMs, this.pruneBatchRows).changes;
      deleted += changes;
      if (changes < this.pruneBatchRows) return deleted;
      await yieldToEventLoop();
    }
  }

  /** Exact percentiles without loading the window: read the two ordered neighbours of each percentile's position. */
  private percentiles(window: AggregateWindow, metric: Metric, key: string, count: number): Percentiles | undefined {
    if (count === 0) return undefined;
    const statement = this.prepared().ordered[`${window.groupBy}:${metric}`];
    return toPercentiles(
      PERCENTILES.map((p) => {
        const { offset, fraction } = percentilePosition(count, p);
        const [lower, upper] = statement.all(window.from, window.to, key, offset).map((row) => Number(row.v));
        return lower === undefined ? undefined : interpolate(lower, upper, fraction);
      }),
    );
  }

  /** Statements need the table, so they are built on first use after `migrate`, then reused. */
  private prepared(): Statements {
    if (this.statements) return this.statements;
    const totals = (groupBy: AggregateWindow['groupBy']): Database.Statement<[number, number], Row> =>
      this.db.prepare(
        `SELECT ${totalsSelect(groupBy)}, count(ttft_ms) AS "ttftCount" FROM request_log
         WHERE started_at >= ? AND started_at < ? GROUP BY 1`,
      );
    const ordered = (groupBy: AggregateWindow['groupBy'], metric: Metric): Database.Statement<[number, number, string, number], Row> =>
      this.db.prepare(
        `SELECT ${metric} AS v FROM request_log
         WHERE started_at >= ? AND started_at < ? AND ${groupExpression(groupBy)} = ? AND ${metric} IS NOT NULL
         ORDER BY ${metric} LIMIT 2 OFFSET ?`,
      );
    this.statements = {
      insertMany: createRecordInsert(this.db, this.pacing),
      get: this.db.prepare(
        `SELECT ${REQUEST_LOG_COLUMNS.map((column) => `l.${column}`).join(', ')}, b.request_body, b.response_body
         FROM request_log l LEFT JOIN request_bodies b ON b.id = l.id WHERE l.id = ?`,
      ),
      pruneStep: this.db.prepare(
        'DELETE FROM request_log WHERE rowid IN (SELECT rowid FROM request_log WHERE started_at < ? ORDER BY started_at LIMIT ?)',
      ),
      pruneBodiesStep: this.db.prepare(
        'DELETE FROM request_bodies WHERE rowid IN (SELECT rowid FROM request_bodies WHERE started_at < ? ORDER BY started_at LIMIT ?)',
      ),
      upsertFeedback: this.db.prepare(upsertFeedbackSql(() => '?')),
      feedbackSummary: this.db.prepare(feedbackSummarySql(() => '?')),
      totals: { model: totals('model'), provider: totals('provider'), key: totals('key'), all: totals('all') },
      ordered: {
        'model:latency_ms': ordered('model', 'latency_ms'),
        'model:ttft_ms': ordered('model', 'ttft_ms'),
        'provider:latency_ms': ordered('provider', 'latency_ms'),
        'provider:ttft_ms': ordered('provider', 'ttft_ms'),
        'key:latency_ms': ordered('key', 'latency_ms'),
        'key:ttft_ms': ordered('key', 'ttft_ms'),
        'all:latency_ms': ordered('all', 'latency_ms'),
        'all:ttft_ms': ordered('all', 'ttft_ms'),
      },
    };
    return this.statements;
  }
}
