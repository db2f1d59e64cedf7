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
  // randomUUID's bits after its version digit are random, and its variant digit is already RFC 9562's.
  return `${timePrefix(Math.max(0, Math.floor(nowMs)))}-7${randomUUID().slice(15)}`;
}

let lastMs = -1;
let lastPrefix = '';

/**
 * The id's first 48 bits (eight hex digits, a hyphen, four more), remembered for the millisecond it was made in. A
 * time in ms is not a small integer to V8, and `toString(16)` of such a number divides in floating point digit by
 * digit, so the hex is made from two halves that are.
 */
function timePrefix(ms: number): string {
  if (ms !== lastMs) {
    const high = Math.floor(ms / 0x1000000) % 0x1000000;
    const low = ms % 0x1000000;
    const hex = high.toString(16).padStart(6, '0') + low.toString(16).padStart(6, '0');
    lastMs = ms;
    lastPrefix = `${hex.slice(0, 8)}-${hex.slice(8)}`;
  }
  return lastPrefix;
}

/** The client's `x-request-id` when it is sane (echoed back and kept in the record's metadata). */
export function clientRequestId(headers: IncomingHttpHeaders): string | undefined {
  const given = headers['x-request-id'];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : undefined;
}
