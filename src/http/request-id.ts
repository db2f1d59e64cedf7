import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const ACCEPTABLE_ID = /^[\w.:@/+=-]{1,128}$/;

/** Request ids: the client's `x-request-id` when it is sane, else a new UUID. */
export function requestIdGenerator(): (request: IncomingMessage) => string {
  return function generateRequestId(request: IncomingMessage): string {
    const given = request.headers['x-request-id'];
    return typeof given === 'string' && ACCEPTABLE_ID.test(given) ? given : randomUUID();
  };
}
