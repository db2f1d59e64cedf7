import { randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';

const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

/**
 * The gateway's own id for every request: always fresh, so the request log never merges two requests that reused a
 * client id.
 */
export function generateRequestId(): string {
  return randomUUID();
}

/** The client's `x-request-id` when it is sane (echoed back and kept in the record's metadata). */
export function clientRequestId(headers: IncomingHttpHeaders): string | undefined {
  const given = headers['x-request-id'];
  return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : undefined;
}
