import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * The gateway's own id for every request: always fresh, so the request log never merges two requests that reused a
 * client id.
 */
export function generateRequestId(): string {
  return timeOrderedUuid(Date.now());
}

/**
 * A UUID of version 7 (RFC 9562): the millisecond time, then 74 random bits. Ids in time order are what the request
 * log's primary-key index is cheapest to grow by: random (version 4) ids put every new row on a different leaf page,
 * which SQLite must write to its WAL and again at the checkpoint (about half the store thread's CPU per record).
 */
export function timeOrderedUuid(nowMs: number): string {
  const time = Math.max(0, Math.floor(nowMs)).toString(16).padStart(12, '0').slice(-12);
  // randomUUID's bits after its version digit are random, and its variant digit is already RFC 9562's.
  return `${time.slice(0, 8)}-${time.slice(8)}-7${randomUUID().slice(15)}`;
}

/** The client's `x-request-id` when it is sane (echoed back and kept in the record's metadata). */
export function clientRequestId(headers: IncomingHttpHeaders): string | undefined {
  const given = headers['x-request-id'];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : undefined;
}
