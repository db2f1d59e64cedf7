import { GatewayError } from '../core/index.js';

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return codeOf((error as { cause?: unknown }).cause);
}

/** Maps transport failures (undici / socket errors) to GatewayErrors by phase; never includes URLs or keys. */
export function transportError(error: unknown, providerId: string, signal: { readonly aborted: boolean; readonly reason: unknown }): GatewayError {
  if (signal.aborted) {
    const reason: unknown = signal.reason;
    return reason instanceof GatewayError ? reason : new GatewayError('client_closed', 'request aborted', { provider: providerId });
  }
  if (error instanceof GatewayError) return error;
  const code = codeOf(error);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new GatewayError('upstream_timeout', `${providerId}: connect timeout`, { provider: providerId, cause: error });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new GatewayError('upstream_timeout', `${providerId}: no response headers in time`, { provider: providerId, cause: error });
    case 'UND_ERR_BODY_TIMEOUT':
      return new GatewayError('upstream_stalled', `${providerId}: response body stalled`, { provider: providerId, cause: error });
    default:
      return new GatewayError('upstream_connection_error', `${providerId}: connection failed (${code ?? 'network error'})`, {
        provider: providerId,
        cause: error,
      });
  }
}

/** True for a connection reset before any response byte: safe to retry once on a fresh connection. */
export function isResetBeforeResponse(error: unknown): boolean {
  const code = codeOf(error);
  return code === 'ECONNRESET' || code === 'UND_ERR_SOCKET' || code === 'EPIPE';
}
