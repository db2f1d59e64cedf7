import { ERROR_TABLE, type GatewayError } from '../../core/index.js';
import type { RenderedError } from '../dialect.js';

/** Renders an error as `{type:'error', error:{type, message}}` with `retry-after` (whole seconds) when known. */
export function renderAnthropicError(error: GatewayError): RenderedError {
  const headers: Record<string, string> = {};
  if (error.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(error.retryAfterMs / 1000));
  return {
    status: error.status,
    body: { type: 'error', error: { type: ERROR_TABLE[error.code].anthropic, message: error.message } },
    headers,
  };
}
