import { ERROR_TABLE, GatewayError } from '../../core/index.js';
import type { ErrorCode, HeaderMap } from '../../core/index.js';
import { parseRetryAfter } from './retry-after.js';

/**
 * The one upstream-status table, shared by every provider: HTTP status → error code. Retryability follows the code
 * (ERROR_TABLE). Statuses not listed fall to `upstream_bad_request` (other 4xx) or `upstream_server_error` (5xx).
 * docs/routing.md shows this table; keep the two in step.
 */
export const UPSTREAM_STATUS_TABLE: Readonly<Record<number, ErrorCode>> = {
  400: 'upstream_bad_request',
  401: 'upstream_authentication',
  402: 'upstream_authentication',
  403: 'upstream_authentication',
  404: 'upstream_not_found',
  408: 'upstream_timeout',
  // Lock or conflict on the upstream's side: both official SDKs retry it.
  409: 'upstream_server_error',
  // Too large for this deployment, not for the gateway: a target with a larger limit may take it.
  413: 'context_length_exceeded',
  422: 'upstream_bad_request',
  429: 'upstream_rate_limited',
  500: 'upstream_server_error',
  502: 'upstream_server_error',
  503: 'upstream_overloaded',
  504: 'upstream_timeout',
  529: 'upstream_overloaded',
};

/** What a provider read from its own error body; each field refines what the status alone says. */
export interface ErrorBodyReading {
  /** A code the body names more precisely than the status (e.g. `context_length_exceeded` on a 400). */
  code?: ErrorCode;
  /** The body says a retry cannot help (spend limit, exhausted quota): not retried, no hint. */
  final?: boolean;
  /** A retry delay written in the body (Gemini `RetryInfo`, OpenAI's "try again in 84ms"); headers win over it. */
  retryAfterMs?: number;
}

/** The classifier's answer: the gateway error code, whether another try may succeed, and how long to wait first. */
export interface UpstreamErrorClass {
  code: ErrorCode;
  retryable: boolean;
  retryAfterMs: number | undefined;
}

function header(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The code for a status before the body is read. */
function codeForUpstreamStatus(status: number): ErrorCode {
  return UPSTREAM_STATUS_TABLE[status] ?? (status >= 500 ? 'upstream_server_error' : 'upstream_bad_request');
}

/**
 * Classifies an upstream failure from its status, headers and what the provider read from the body. A 429 or 5xx
 * stays retryable whatever `x-should-retry` says (rate limits and outages are transient by policy); on other
 * statuses `x-should-retry: false` (sent by OpenAI and Anthropic) makes the failure final. The retry hint is read
 * from `retry-after-ms`, `x-ms-retry-after-ms`, then `retry-after`, then the body, and only for retryable failures.
 */
export function classifyUpstreamError(
  status: number,
  headers: HeaderMap,
  reading: ErrorBodyReading = {},
): UpstreamErrorClass {
  const code = reading.code ?? codeForUpstreamStatus(status);
  const transient = status === 429 || status >= 500;
  const retryable =
    ERROR_TABLE[code].retryable && reading.final !== true && (transient || header(headers, 'x-should-retry') !== 'false');
  const retryAfterMs = retryable ? (parseRetryAfter(headers) ?? reading.retryAfterMs) : undefined;
  return { code, retryable, retryAfterMs };
}

/** Where an upstream error came from and the key-free text to show for it. */
export interface UpstreamErrorSource {
  provider: string;
  message: string;
  /** The HTTP status when the error was an HTTP response; undefined for an error event inside a 200 stream. */
  upstreamStatus?: number;
}

/**
 * Builds the GatewayError for an upstream failure. `status` is the HTTP status, or for an in-stream error the status
 * the provider's own error type stands for.
 */
export function upstreamError(
  status: number,
  headers: HeaderMap,
  reading: ErrorBodyReading,
  source: UpstreamErrorSource,
): GatewayError {
  const { code, retryable, retryAfterMs } = classifyUpstreamError(status, headers, reading);
  return new GatewayError(code, source.message, {
    provider: source.provider,
    upstreamStatus: source.upstreamStatus,
    retryable,
    retryAfterMs,
  });
}
