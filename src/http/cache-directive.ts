import type { IncomingHttpHeaders } from 'node:http';
import { GatewayError } from '../core/index.js';
import type { CacheDirective } from '../ports/response-cache.js';

const DIRECTIVES: readonly string[] = ['use', 'skip', 'refresh'] satisfies CacheDirective[];

/** The client's `x-switchyard-cache` directive, if any; anything but use, skip or refresh is a 400. */
export function cacheDirective(headers: IncomingHttpHeaders): CacheDirective | undefined {
  const value = headers['x-switchyard-cache'];
  if (value === undefined) return undefined;
  const text = (Array.isArray(value) ? value.join(',') : value).trim().toLowerCase();
  if (DIRECTIVES.includes(text)) return text as CacheDirective;
  throw new GatewayError('invalid_request', 'x-switchyard-cache must be use, skip or refresh', { param: 'x-switchyard-cache' });
}
