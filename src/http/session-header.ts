import type { IncomingHttpHeaders } from 'node:http';

/** The client's `x-switchyard-session` (sticky routing), when it is a single non-empty value. */
export function sessionHeader(headers: IncomingHttpHeaders): string | undefined {
  const given = headers['x-switchyard-session'];
  return typeof given === 'string' && given !== '' ? given : undefined;
}
