import { GatewayError } from '../../core/index.js';
import type { ErrorCode, HeaderMap } from '../../core/index.js';
import { redactSecrets } from '../shared/redact-secrets.js';
import { parseRetryAfter } from '../shared/retry-after.js';
import { anthropicErrorBodySchema } from './anthropic-response-schemas.js';
import type { AnthropicErrorDetail } from './anthropic-response-schemas.js';

const CODES_BY_TYPE: Readonly<Record<string, ErrorCode>> = {
  invalid_request_error: 'upstream_bad_request',
  authentication_error: 'upstream_authentication',
  permission_error: 'upstream_authentication',
  billing_error: 'upstream_authentication',
  not_found_error: 'upstream_not_found',
  request_too_large: 'request_too_large',
  rate_limit_error: 'upstream_rate_limited',
  api_error: 'upstream_server_error',
  timeout_error: 'upstream_timeout',
  overloaded_error: 'upstream_overloaded',
};

const CODES_BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: 'upstream_bad_request',
  401: 'upstream_authentication',
  402: 'upstream_authentication',
  403: 'upstream_authentication',
  404: 'upstream_not_found',
  408: 'upstream_timeout',
  413: 'request_too_large',
  429: 'upstream_rate_limited',
  504: 'upstream_timeout',
  529: 'upstream_overloaded',
};

const CONTEXT_OVERFLOW = /prompt is too long|exceed(?:s|ed)? context limit|context window/i;
const SPEND_LIMIT = /credit balance|spend(?:ing)? limit|billing/i;

function describe(prefix: string, detail: AnthropicErrorDetail | undefined): string {
  if (!detail) return prefix;
  const text = detail.message === undefined ? '' : `: ${redactSecrets(detail.message)}`;
  return `${prefix} (${detail.type})${text}`;
}

function codeFor(detail: AnthropicErrorDetail | undefined, status: number | undefined): ErrorCode {
  if (detail?.type === 'overloaded_error') return 'upstream_overloaded';
  const byType = detail ? CODES_BY_TYPE[detail.type] : undefined;
  let code: ErrorCode;
  if (status === undefined) code = byType ?? 'upstream_server_error';
  else code = CODES_BY_STATUS[status] ?? (status >= 500 ? 'upstream_server_error' : (byType ?? 'upstream_bad_request'));
  if (code === 'upstream_bad_request' && CONTEXT_OVERFLOW.test(detail?.message ?? '')) return 'context_length_exceeded';
  return code;
}

function header(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** Maps an `error` event received after HTTP 200 (e.g. `overloaded_error`) to a GatewayError. */
export function anthropicStreamError(detail: AnthropicErrorDetail, provider: string): GatewayError {
  return new GatewayError(codeFor(detail, undefined), describe('Anthropic stream error', detail), { provider });
}

/**
 * Maps an HTTP error response. Retry hints: `retry-after` on 429/5xx/529; a 429 about credit or spend limits and a
 * 402 are final; `x-should-retry: false` is honoured except on 429 and 5xx, which stay retryable by policy.
 */
export function anthropicHttpError(status: number, headers: HeaderMap, body: unknown, provider: string): GatewayError {
  const parsed = anthropicErrorBodySchema.safeParse(body);
  const detail = parsed.success ? parsed.data.error : undefined;
  const code = codeFor(detail, status);
  const transient = status === 429 || status >= 500;

  let retryable: boolean | undefined;
  if (status === 429 && SPEND_LIMIT.test(detail?.message ?? '')) retryable = false;
  else if (!transient && header(headers, 'x-should-retry') === 'false') retryable = false;

  return new GatewayError(code, describe(`Anthropic returned HTTP ${status}`, detail), {
    provider,
    upstreamStatus: status,
    retryable,
    retryAfterMs: transient ? parseRetryAfter(headers) : undefined,
  });
}
