import { GatewayError } from '../core/index.js';

/** The `x-switchyard-priority` header: `batch` runs the request on the batch lane; `live` (or none) as usual. */
export function priorityHeader(headers: Record<string, string | string[] | undefined>): 'batch' | undefined {
  const value = headers['x-switchyard-priority'];
  if (value === undefined || value === 'live') return undefined;
  if (value === 'batch') return 'batch';
  throw new GatewayError('invalid_request', 'x-switchyard-priority must be "batch" or "live"', { param: 'x-switchyard-priority' });
}
