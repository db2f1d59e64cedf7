/**
 * Stable error codes. Each maps to one HTTP status and one error type per client dialect (see ERROR_TABLE), so a
 * failure renders identically whichever provider caused it. Provider-specific codes never leave the gateway.
 */
export type ErrorCode =
  | 'invalid_request'
  | 'invalid_json'
  | 'unsupported_parameter'
  | 'context_length_exceeded'
  | 'authentication_failed'
  | 'permission_denied'
  | 'model_not_found'
  | 'not_found'
  | 'request_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'budget_exceeded'
  | 'upstream_rate_limited'
  | 'upstream_overloaded'
  | 'upstream_server_error'
  | 'upstream_bad_request'
  | 'upstream_authentication'
  | 'upstream_not_found'
  | 'upstream_timeout'
  | 'upstream_stalled'
  | 'upstream_connection_error'
  | 'upstream_malformed_response'
  | 'upstream_content_filter'
  | 'all_targets_failed'
  | 'all_targets_timed_out'
  | 'all_targets_rate_limited'
  | 'client_closed'
  | 'request_timeout'
  | 'shutting_down'
  | 'internal_error';

export interface ErrorRendering {
  status: number;
  /** OpenAI `error.type`. */
  openai: string;
  /** Anthropic `error.type`. */
  anthropic: string;
  /** Gemini `error.status` (gRPC canonical name). */
  gemini: string;
  /** Whether a retry on the same or another target may succeed. */
  retryable: boolean;
}

/** The one table: code → HTTP status, each dialect's error type, and retryability. */
export const ERROR_TABLE: Readonly<Record<ErrorCode, ErrorRendering>> = {
  invalid_request: { status: 400, openai: 'invalid_request_error', anthropic: 'invalid_request_error', gemini: 'INVALID_ARGUMENT', retryable: false },
  invalid_json: { status: 400, openai: 'invalid_request_error', anthropic: 'invalid_request_error', gemini: 'INVALID_ARGUMENT', retryable: false },
  unsupported_parameter: { status: 400, openai: 'invalid_request_error', anthropic: 'invalid_request_error', gemini: 'INVALID_ARGUMENT', retryable: false },
  context_length_exceeded: { status: 400, openai: 'invalid_request_error', anthropic: 'invalid_request_error', gemini: 'INVALID_ARGUMENT', retryable: false },
  authentication_failed: { status: 401, openai: 'invalid_request_error', anthropic: 'authentication_error', gemini: 'UNAUTHENTICATED', retryable: false },
  permission_denied: { status: 403, openai: 'invalid_request_error', anthropic: 'permission_error', gemini: 'PERMISSION_DENIED', retryable: false },
  model_not_found: { status: 404, openai: 'invalid_request_error', anthropic: 'not_found_error', gemini: 'NOT_FOUND', retryable: false },
  not_found: { status: 404, openai: 'invalid_request_error', anthropic: 'not_found_error', gemini: 'NOT_FOUND', retryable: false },
  request_too_large: { status: 413, openai: 'invalid_request_error', anthropic: 'request_too_large', gemini: 'INVALID_ARGUMENT', retryable: false },
  unsupported_media_type: { status: 415, openai: 'invalid_request_error', anthropic: 'invalid_request_error', gemini: 'INVALID_ARGUMENT', retryable: false },
  rate_limited: { status: 429, openai: 'rate_limit_error', anthropic: 'rate_limit_error', gemini: 'RESOURCE_EXHAUSTED', retryable: true },
  budget_exceeded: { status: 429, openai: 'insufficient_quota', anthropic: 'rate_limit_error', gemini: 'RESOURCE_EXHAUSTED', retryable: false },
  upstream_rate_limited: { status: 429, openai: 'rate_limit_error', anthropic: 'rate_limit_error', gemini: 'RESOURCE_EXHAUSTED', retryable: true },
  upstream_overloaded: { status: 503, openai: 'server_error', anthropic: 'overloaded_error', gemini: 'UNAVAILABLE', retryable: true },
  upstream_server_error: { status: 502, openai: 'server_error', anthropic: 'api_error', gemini: 'INTERNAL', retryable: true },
  upstream_bad_request: { status: 400, openai: 'invalid_request_error', anthropic: 'invalid_request_error', gemini: 'INVALID_ARGUMENT', retryable: false },
  upstream_authentication: { status: 502, openai: 'server_error', anthropic: 'api_error', gemini: 'INTERNAL', retryable: false },
  upstream_not_found: { status: 502, openai: 'server_error', anthropic: 'api_error', gemini: 'INTERNAL', retryable: false },
  upstream_timeout: { status: 504, openai: 'timeout_error', anthropic: 'timeout_error', gemini: 'DEADLINE_EXCEEDED', retryable: true },
  upstream_stalled: { status: 504, openai: 'timeout_error', anthropic: 'timeout_error', gemini: 'DEADLINE_EXCEEDED', retryable: true },
  upstream_connection_error: { status: 502, openai: 'server_error', anthropic: 'api_error', gemini: 'UNAVAILABLE', retryable: true },
  upstream_malformed_response: { status: 502, openai: 'server_error', anthropic: 'api_error', gemini: 'INTERNAL', retryable: true },
  upstream_content_filter: { status: 400, openai: 'invalid_request_error', anthropic: 'invalid_request_error', gemini: 'INVALID_ARGUMENT', retryable: false },
  all_targets_failed: { status: 502, openai: 'server_error', anthropic: 'api_error', gemini: 'INTERNAL', retryable: true },
  all_targets_timed_out: { status: 504, openai: 'timeout_error', anthropic: 'timeout_error', gemini: 'DEADLINE_EXCEEDED', retryable: true },
  all_targets_rate_limited: { status: 429, openai: 'rate_limit_error', anthropic: 'rate_limit_error', gemini: 'RESOURCE_EXHAUSTED', retryable: true },
  client_closed: { status: 499, openai: 'invalid_request_error', anthropic: 'invalid_request_error', gemini: 'CANCELLED', retryable: false },
  request_timeout: { status: 408, openai: 'invalid_request_error', anthropic: 'invalid_request_error', gemini: 'DEADLINE_EXCEEDED', retryable: false },
  shutting_down: { status: 503, openai: 'server_error', anthropic: 'overloaded_error', gemini: 'UNAVAILABLE', retryable: true },
  internal_error: { status: 500, openai: 'server_error', anthropic: 'api_error', gemini: 'INTERNAL', retryable: false },
};

/** The deadline a timeout hit: connecting, awaiting response headers, the first token, a stall between chunks, the total. */
export type TimeoutPhase = 'connect' | 'headers' | 'first_token' | 'stall' | 'total';

export interface GatewayErrorOptions {
  /** The request field at fault, as a path (`messages[2].content`), for 400s. */
  param?: string;
  /** Overrides the table's retryability (e.g. a spend-limit 429 is not retryable). */
  retryable?: boolean;
  retryAfterMs?: number;
  /** Provider id the error came from. */
  provider?: string;
  /** Upstream HTTP status, kept for logs and attempt records (never rendered to clients as-is). */
  upstreamStatus?: number;
  /** For the gateway's own timeouts (`upstream_timeout`, `upstream_stalled`): which deadline expired. */
  phase?: TimeoutPhase;
  /** Extra response headers the gateway's own refusals carry (`x-ratelimit-*` on a 429). */
  headers?: Record<string, string>;
  cause?: unknown;
}

/** The gateway's one error type. Messages are safe to show clients: no secrets, no raw upstream bodies. */
export class GatewayError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly retryable: boolean;
  readonly param: string | undefined;
  readonly retryAfterMs: number | undefined;
  readonly provider: string | undefined;
  readonly upstreamStatus: number | undefined;
  readonly phase: TimeoutPhase | undefined;
  readonly headers: Record<string, string> | undefined;

  constructor(code: ErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'GatewayError';
    this.code = code;
    this.status = ERROR_TABLE[code].status;
    this.retryable = options.retryable ?? ERROR_TABLE[code].retryable;
    this.param = options.param;
    this.retryAfterMs = options.retryAfterMs;
    this.provider = options.provider;
    this.upstreamStatus = options.upstreamStatus;
    this.phase = options.phase;
    this.headers = options.headers;
  }
}

/** One upstream attempt as recorded for errors, headers and the request log. */
export interface AttemptRecord {
  provider: string;
  model: string;
  /** Upstream HTTP status when one was received. */
  status?: number;
  /** Normalised reason: `ok` or an ErrorCode. */
  outcome: 'ok' | ErrorCode;
  /** For a timeout, which deadline expired. */
  phase?: TimeoutPhase;
  message?: string;
  latencyMs: number;
  /** When the attempt started, in ms after the request arrived (for traces and the attempt timeline). */
  startOffsetMs?: number;
  /** Time waited before this attempt (backoff / retry-after). */
  retryWaitMs?: number;
}

/** The retry hint sent with a 429 when no upstream gave one. */
export const DEFAULT_RATE_LIMIT_RETRY_MS = 1000;

/** Every target failed; keeps each attempt in order. Status is 429/504/502 depending on what the attempts saw. */
export class AllTargetsFailedError extends GatewayError {
  readonly attempts: AttemptRecord[];

  constructor(attempts: AttemptRecord[], retryAfterMs?: number) {
    const outcomes = attempts.map((a) => a.outcome);
    const all = (codes: ErrorCode[]): boolean => outcomes.length > 0 && outcomes.every((o) => o !== 'ok' && codes.includes(o));
    const code: ErrorCode = all(['upstream_rate_limited', 'rate_limited'])
      ? 'all_targets_rate_limited'
      : all(['upstream_timeout', 'upstream_stalled'])
        ? 'all_targets_timed_out'
        : 'all_targets_failed';
    const list = attempts
      .map((a, i) => `${i + 1}) ${a.provider}/${a.model}: ${a.outcome}${a.status ? ` (HTTP ${a.status})` : ''}`)
      .join('; ');
    // A 429 must tell the client when to come back even if no upstream said (OpenAI and Anthropic often don't).
    const hint = code === 'all_targets_rate_limited' ? (retryAfterMs ?? DEFAULT_RATE_LIMIT_RETRY_MS) : retryAfterMs;
    super(code, `All upstream attempts failed: ${list}`, { retryAfterMs: hint });
    this.name = 'AllTargetsFailedError';
    this.attempts = attempts;
  }
}

/** Narrows unknown throwables into a GatewayError (unknown errors become internal_error without leaking detail). */
export function toGatewayError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError('internal_error', 'Internal gateway error', { cause: error });
}
