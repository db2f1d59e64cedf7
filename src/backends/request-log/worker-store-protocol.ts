import { RequestLogRejectedError, type RequestLogStore, type StoredRequestLogRecord } from '../../ports/request-log-store.js';

/**
 * A call from the gateway thread: one RequestLogStore method and its arguments, or `insertBatchJson`: `insertBatch`
 * with the records as one JSON text (see encodeRecordBatch).
 */
export interface StoreCall {
  id: number;
  method: keyof RequestLogStore | 'insertBatchJson';
  args: unknown[];
}

/** Scalar columns a JSON text could not carry exactly: NaN and ±Infinity would arrive as null. */
function hasNonFiniteScalar(record: StoredRequestLogRecord): boolean {
  const { usage } = record;
  return (
    !Number.isFinite(record.startedAt) ||
    !Number.isFinite(record.status) ||
    !Number.isFinite(record.latencyMs) ||
    notFinite(record.ttftMs) ||
    notFinite(record.overheadMs) ||
    notFinite(record.costUsd) ||
    notFinite(record.cacheSavingUsd) ||
    (usage !== undefined &&
      (notFinite(usage.inputTokens) || notFinite(usage.outputTokens) || notFinite(usage.cacheReadTokens) || notFinite(usage.cacheWriteTokens) || notFinite(usage.reasoningTokens)))
  );
}

function notFinite(value: number | undefined): boolean {
  return value !== undefined && !Number.isFinite(value);
}

/**
 * A batch of records as one JSON text, or undefined when JSON cannot carry it exactly (a non-finite number in a scalar
 * column, or a value JSON.stringify refuses): the caller then posts the records as they are. One string crosses the
 * thread boundary as a copy of its bytes, where a structured clone walks every object twice (about 6 µs a record to
 * write on the gateway thread and 15 to read in the worker, against about 5 to stringify and 5 to parse). The
 * store writes every nested part (attempts, usage, routing, bodies) with JSON.stringify, so what it stores is the same.
 */
export function encodeRecordBatch(records: readonly StoredRequestLogRecord[]): string | undefined {
  for (const record of records) if (hasNonFiniteScalar(record)) return undefined;
  try {
    return JSON.stringify(records);
  } catch {
    return undefined;
  }
}

/** The records of an encodeRecordBatch text. */
export function decodeRecordBatch(text: string): StoredRequestLogRecord[] {
  return JSON.parse(text) as StoredRequestLogRecord[];
}

/** An error as it crosses the thread boundary: its kind survives, so callers can still tell a bad cursor from an outage. */
export interface WireError {
  kind: 'rejected' | 'range' | 'type' | 'error';
  name: string;
  message: string;
}

/** The answer: the method's result, or its error; id -1 carries an error the store reported outside any call. */
export type StoreReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: WireError };

/** Flattens an error for postMessage, keeping the classes callers branch on. */
export function toWireError(error: unknown): WireError {
  if (!(error instanceof Error)) return { kind: 'error', name: 'Error', message: String(error) };
  const kind =
    error instanceof RequestLogRejectedError ? 'rejected' : error instanceof RangeError ? 'range' : error instanceof TypeError ? 'type' : 'error';
  return { kind, name: error.name, message: error.message };
}

/** Rebuilds an error of the class it was thrown as on the other side. */
export function fromWireError(wire: WireError): Error {
  switch (wire.kind) {
    case 'rejected':
      return new RequestLogRejectedError(wire.message);
    case 'range':
      return new RangeError(wire.message);
    case 'type':
      return new TypeError(wire.message);
    default:
      return Object.assign(new Error(wire.message), { name: wire.name });
  }
}
