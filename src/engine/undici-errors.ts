import { GatewayError } from '../core/index.js';

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') return code;
  return codeOf((error as { cause?: unknown }).cause);
}

type AbortState = { readonly aborted: boolean; readonly reason: unknown };

/** An aborted attempt fails with its abort's reason (client gone, total deadline, watchdog), whatever was thrown. */
function abortReason(signal: AbortState, providerId: string): GatewayError {
  const reason: unknown = signal.reason;
  return reason instanceof GatewayError ? reason : new GatewayError('client_closed', 'request aborted', { provider: providerId });
}

/** Maps transport failures (undici / socket errors) to GatewayErrors by phase; never includes URLs or keys. */
export function transportError(error: unknown, providerId: string, signal: AbortState): GatewayError {
  if (signal.aborted) return abortReason(signal, providerId);
  if (error instanceof GatewayError) return error;
  const code = codeOf(error);
  switch (code) {
    case 'UND_ERR_CONNECT_TIMEOUT':
      return new GatewayError('upstream_timeout', `${providerId}: connect timeout`, { provider: providerId, phase: 'connect', cause: error });
    case 'UND_ERR_HEADERS_TIMEOUT':
      return new GatewayError('upstream_timeout', `${providerId}: no response headers in time`, { provider: providerId, phase: 'headers', cause: error });
    case 'UND_ERR_BODY_TIMEOUT':
      return new GatewayError('upstream_stalled', `${providerId}: response body stalled`, { provider: providerId, phase: 'stall', cause: error });
    default:
      return new GatewayError('upstream_connection_error', `${providerId}: connection failed (${code ?? 'network error'})`, {
        provider: providerId,
        cause: error,
      });
  }
}

/**
 * What a provider client's failure means for the attempt: an abort keeps its reason, a GatewayError (the client's own
 * reading of the upstream) stays, and anything else is the gateway's own failure (a bug, a stack overflow while
 * serialising hostile input): `internal_error`, which is never retried nor counted against the deployment.
 */
export function attemptFailure(error: unknown, providerId: string, signal: AbortState): GatewayError {
  if (signal.aborted) return abortReason(signal, providerId);
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', 'Internal gateway error', { cause: error });
}
