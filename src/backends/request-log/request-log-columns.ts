import type { AttemptRecord, FinishReason, UnifiedFinishReason, Usage, Warning } from '../../core/index.js';
import type { RequestLogRecord } from '../../ports/request-log.js';
import type { StoredRequestLogRecord } from '../../ports/request-log-store.js';

/** Column order shared by both backends' inserts into `request_log` (bodies live in `request_bodies`). */
export const REQUEST_LOG_COLUMNS = [
  'id',
  'started_at',
  'client_format',
  'key_id',
  'requested_model',
  'provider',
  'model',
  'stream',
  'status',
  'error_code',
  'error_message',
  'attempt_count',
  'attempts',
  'ttft_ms',
  'latency_ms',
  'overhead_ms',
  'input_tokens',
  'cache_read_tokens',
  'cache_write_tokens',
  'output_tokens',
  'reasoning_tokens',
  'usage_raw',
  'cost_usd',
  'finish_reason',
  'finish_reason_raw',
  'stop_sequence',
  'warnings',
  'metadata',
  'routing',
  'cache_saving_usd',
  'task_class',
  'cache',
  'has_bodies',
] as const;

/** Columns of `request_bodies`, in insert order: the record's key, then the two bodies. */
export const REQUEST_BODY_COLUMNS = ['id', 'started_at', 'request_body', 'response_body'] as const;

/** Columns read when listing: the record without `has_bodies`, which only means something beside the bodies themselves. */
export const LIST_COLUMNS = REQUEST_LOG_COLUMNS.filter((column) => column !== 'has_bodies');

export type ColumnValue = string | number | boolean | null;

/** JSON text for a JSON column, or null when absent or not serialisable (a log write must never throw on data). */
function toJson(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  try {
    return JSON.stringify(value) ?? null;
  } catch {
    return null;
  }
}

/** The record's `request_bodies` row in REQUEST_BODY_COLUMNS order, or undefined when it carries no body to store. */
export function toBodyValues(record: StoredRequestLogRecord): ColumnValue[] | undefined {
  if (record.requestBody === undefined && record.responseBody === undefined) return undefined;
  const requestBody = toJson(record.requestBody);
  const responseBody = toJson(record.responseBody);
  return requestBody === null && responseBody === null ? undefined : [record.id, record.startedAt, requestBody, responseBody];
}

/** One record as `request_log` column values, in REQUEST_LOG_COLUMNS order; `hasBodies` says whether a body row goes with it. */
export function toColumnValues(record: StoredRequestLogRecord, hasBodies: boolean): ColumnValue[] {
  const usage: Usage = record.usage ?? {};
  return [
    record.id,
    record.startedAt,
    record.clientFormat,
    record.keyId ?? null,
    record.requestedModel ?? null,
    record.provider ?? null,
    record.model ?? null,
    record.stream,
    record.status,
    record.errorCode ?? null,
    record.errorMessage ?? null,
    record.attempts.length,
    toJson(record.attempts) ?? '[]',
    record.ttftMs ?? null,
    record.latencyMs,
    record.overheadMs ?? null,
    usage.inputTokens ?? null,
    usage.cacheReadTokens ?? null,
    usage.cacheWriteTokens ?? null,
    usage.outputTokens ?? null,
    usage.reasoningTokens ?? null,
    toJson(usage.raw),
    record.costUsd ?? null,
    record.finishReason?.unified ?? null,
    record.finishReason?.raw ?? null,
    record.finishReason?.stopSequence ?? null,
    toJson(record.warnings) ?? '[]',
    toJson(record.metadata),
    toJson(record.routing),
    record.cacheSavingUsd ?? null,
    record.taskClass ?? null,
    record.cache ?? null,
    hasBodies,
  ];
}

/** Postgres returns jsonb already parsed and SQLite returns text; both arrive here. */
function fromJson(value: unknown): unknown {
  if (typeof value !== 'string') return value ?? undefined;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return undefined;
  }
}

/** Numbers may arrive as strings (Postgres bigint/numeric). */
function optionalNumber(value: unknown): number | undefined {
  if (value === null || value === undefined) return undefined;
  const parsed = typeof value === 'number' ? value : Number(value);
  return Number.isFinite(parsed) ? parsed : undefined;
}

function optionalString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function readUsage(row: Record<string, unknown>): Usage | undefined {
  const usage: Usage = {};
  const input = optionalNumber(row.input_tokens);
  const cacheRead = optionalNumber(row.cache_read_tokens);
  const cacheWrite = optionalNumber(row.cache_write_tokens);
  const output = optionalNumber(row.output_tokens);
  const reasoning = optionalNumber(row.reasoning_tokens);
  const raw = fromJson(row.usage_raw);
  if (input !== undefined) usage.inputTokens = input;
  if (cacheRead !== undefined) usage.cacheReadTokens = cacheRead;
  if (cacheWrite !== undefined) usage.cacheWriteTokens = cacheWrite;
  if (output !== undefined) usage.outputTokens = output;
  if (reasoning !== undefined) usage.reasoningTokens = reasoning;
  if (raw !== undefined) usage.raw = raw;
  return Object.keys(usage).length > 0 ? usage : undefined;
}

function readFinishReason(row: Record<string, unknown>): FinishReason | undefined {
  const unified = optionalString(row.finish_reason);
  if (unified === undefined) return undefined;
  const reason: FinishReason = { unified: unified as UnifiedFinishReason };
  const raw = optionalString(row.finish_reason_raw);
  const stopSequence = optionalString(row.stop_sequence);
  if (raw !== undefined) reason.raw = raw;
  if (stopSequence !== undefined) reason.stopSequence = stopSequence;
  return reason;
}

/** Whether a row read with its bodies had them once (`has_bodies`) but body retention has since deleted them. */
function bodiesExpired(row: Record<string, unknown>): true | undefined {
  const had = row.has_bodies === true || row.has_bodies === 1;
  return had && row.request_body == null && row.response_body == null ? true : undefined;
}

/**
 * Rebuilds a record from a row of either backend (joined with its `request_bodies` row when read whole); absent values
 * stay absent (never 0 or null).
 */
export function fromRow(row: Record<string, unknown>): StoredRequestLogRecord {
  const attempts = fromJson(row.attempts);
  const warnings = fromJson(row.warnings);
  const record: StoredRequestLogRecord = {
    id: String(row.id),
    startedAt: optionalNumber(row.started_at) ?? 0,
    clientFormat: String(row.client_format) as RequestLogRecord['clientFormat'],
    stream: row.stream === true || row.stream === 1,
    status: optionalNumber(row.status) ?? 0,
    attempts: Array.isArray(attempts) ? (attempts as AttemptRecord[]) : [],
    latencyMs: optionalNumber(row.latency_ms) ?? 0,
    warnings: Array.isArray(warnings) ? (warnings as Warning[]) : [],
  };
  const optional: Partial<StoredRequestLogRecord> = {
    keyId: optionalString(row.key_id),
    requestedModel: optionalString(row.requested_model),
    provider: optionalString(row.provider),
    model: optionalString(row.model),
    errorCode: optionalString(row.error_code),
    errorMessage: optionalString(row.error_message),
    ttftMs: optionalNumber(row.ttft_ms),
    overheadMs: optionalNumber(row.overhead_ms),
    usage: readUsage(row),
    costUsd: optionalNumber(row.cost_usd),
    cacheSavingUsd: optionalNumber(row.cache_saving_usd),
    finishReason: readFinishReason(row),
    metadata: fromJson(row.metadata) as Record<string, string> | undefined,
    requestBody: fromJson(row.request_body),
    responseBody: fromJson(row.response_body),
    bodiesExpired: bodiesExpired(row),
    routing: fromJson(row.routing) as RequestLogRecord['routing'],
    taskClass: optionalString(row.task_class),
    cache: row.cache === 'hit' || row.cache === 'miss' ? row.cache : undefined,
  };
  for (const [key, value] of Object.entries(optional)) {
    if (value !== undefined) Object.assign(record, { [key]: value });
  }
  return record;
}
