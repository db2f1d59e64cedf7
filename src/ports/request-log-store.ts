import type { ComparisonPage, StoredComparison } from './comparison.js';
import type { RequestLogRecord } from './request-log.js';
import type { ResponseStore } from './response-store.js';

/** A request record as stored: the record plus what later stages add (cost). Bodies arrive redacted. */
export interface StoredRequestLogRecord extends RequestLogRecord {
  /** Cost in US dollars once prices are known; absent when unpriced. */
  costUsd?: number;
  /** Set by `get` when bodies were stored with the record but `storage.body_retention_days` has since deleted them. */
  bodiesExpired?: true;
}

/** Filters for listing records. Results are ordered newest first (`startedAt` desc, then `id` desc). */
export interface RequestLogQuery {
  /** Epoch ms, inclusive. */
  from?: number;
  /** Epoch ms, exclusive. */
  to?: number;
  /** Matches the requested model or the served upstream model. */
  model?: string;
  /** Served provider id. */
  provider?: string;
  keyId?: string;
  /** An exact HTTP status, `ok` (< 400) or `error` (>= 400). */
  status?: number | 'ok' | 'error';
  /** Case-insensitive substring of the error code or error message. */
  text?: string;
  /** true: only requests that needed more than one upstream attempt (a retry or failover); false: only those that did not. */
  fallback?: boolean;
  /** Page size; stores clamp it to 1..1000 (default 50). */
  limit?: number;
  /** Opaque cursor from a previous page's `nextCursor`. */
  cursor?: string;
}

/** One page of records; `nextCursor` is set when more records match. */
export interface RequestLogPage {
  records: StoredRequestLogRecord[];
  nextCursor?: string;
}

/** A time window (epoch ms, `from` inclusive, `to` exclusive) and the dimension to group by. */
export interface AggregateWindow {
  from: number;
  to: number;
  /**
   * `model` groups by the model the client requested, `provider` by the provider that served the request, `key` by the
   * virtual key id, `all` puts every request of the window in one group (keyed `all`).
   */
  groupBy: 'model' | 'provider' | 'key' | 'all';
}

/** Percentiles computed like Postgres `percentile_cont` (linear interpolation). */
export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/** Aggregates of one group over a window. Requests without a value for the group fall under `(none)`. */
export interface AggregateRow {
  key: string;
  count: number;
  errorCount: number;
  /** Share of requests with status >= 400. */
  errorRate: number;
  /** Share of requests that needed more than one upstream attempt. */
  fallbackRate: number;
  latencyMs: Percentiles;
  /** Absent when no request in the group reported a time to first token. */
  ttftMs?: Percentiles;
  tokens: { input: number; cacheRead: number; cacheWrite: number; output: number; reasoning: number };
  /** Absent when no request in the group was priced. */
  costUsd?: number;
}

/** One feedback score on a served request; one per (request, metric), a later one replaces it. */
export interface FeedbackEntry {
  requestId: string;
  /** A name such as `quality` or `thumbs`. */
  metric: string;
  /** 0..1; a boolean arrives as 0 or 1. */
  score: number;
  comment?: string;
  /** Epoch ms when it was given. */
  at: number;
}

/** Feedback over a window for one target and task class. */
export interface FeedbackSummaryRow {
  /** The model name the client asked for (an alias or `provider/model`). */
  requestedModel: string;
  provider: string;
  model: string;
  /** `(none)` when the request had no task class. */
  taskClass: string;
  metric: string;
  count: number;
  meanScore: number;
}

/** Durable storage for request records (SQLite embedded, Postgres for production), which also keeps stored responses. */
export interface RequestLogStore extends ResponseStore {
  /** Stores a feedback score, replacing an earlier one for the same (request, metric). */
  upsertFeedback(entry: FeedbackEntry): Promise<void>;
  /** Feedback given in `[from, to)` grouped by requested model, target, task class and metric. */
  feedbackSummary(window: { from: number; to: number }): Promise<FeedbackSummaryRow[]>;
  /** Applies pending schema migrations in order; a no-op when up to date. */
  migrate(): Promise<void>;
  /** Inserts records in one write; ids already stored are skipped, so a retried batch never duplicates rows. */
  insertBatch(records: StoredRequestLogRecord[]): Promise<void>;
  /** Lists records matching a filter, newest first, one page at a time. */
  query(filter: RequestLogQuery): Promise<RequestLogPage>;
  /** One record by id, including its bodies while they are kept (`bodiesExpired` once they are not). */
  get(id: string): Promise<StoredRequestLogRecord | undefined>;
  /** Per-model or per-provider aggregates over a window. */
  aggregate(window: AggregateWindow): Promise<AggregateRow[]>;
  /** Deletes records (and their bodies) that started before `olderThanMs` (epoch ms); resolves to the records deleted. */
  prune(olderThanMs: number): Promise<number>;
  /** Deletes the stored bodies of records that started before `olderThanMs`, keeping the records; resolves to the bodies deleted. */
  pruneBodies(olderThanMs: number): Promise<number>;
  /** Stores a finished comparison (`/v1/compare`); an id already stored is kept as it was. */
  saveComparison(comparison: StoredComparison): Promise<void>;
  /** Lists comparisons newest first; `limit` is clamped to 1..100 (default 20). */
  listComparisons(page: { limit?: number; cursor?: string }): Promise<ComparisonPage>;
  getComparison(id: string): Promise<StoredComparison | undefined>;
  close(): Promise<void>;
}

/** Thrown by a store when a batch can never be written as is (bad data, not an outage); retrying will not help. */
export class RequestLogRejectedError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RequestLogRejectedError';
  }
}

/** The position after a record in the list order, as an opaque cursor. */
export function encodeRequestLogCursor(record: { startedAt: number; id: string }): string {
  return Buffer.from(JSON.stringify([record.startedAt, record.id])).toString('base64url');
}

/** Decodes a cursor from `encodeRequestLogCursor`, or undefined when it is malformed. */
export function decodeRequestLogCursor(cursor: string): { startedAt: number; id: string } | undefined {
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (!Array.isArray(parsed) || parsed.length !== 2) return undefined;
    const [startedAt, id] = parsed as unknown[];
    if (typeof startedAt !== 'number' || !Number.isFinite(startedAt) || typeof id !== 'string') return undefined;
    return { startedAt, id };
  } catch {
    return undefined;
  }
}
