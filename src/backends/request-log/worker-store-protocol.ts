import { RequestLogRejectedError, type RequestLogStore, type StoredRequestLogRecord } from '../../ports/request-log-store.js';

/** A call from the gateway thread: one RequestLogStore method and its arguments. */
export interface StoreCall {
  id: number;
  method: keyof RequestLogStore;
  args: unknown[];
}

/**
 * Leading records of the `insertBatch` call with the same id, sent on earlier event-loop turns so that no single
 * structured clone holds the gateway thread for the whole batch; the call itself carries the rest.
 */
export interface StagedRecords {
  id: number;
  staged: StoredRequestLogRecord[];
}

/** What the gateway thread posts to the store's worker. */
export type StoreMessage = StoreCall | StagedRecords;

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
