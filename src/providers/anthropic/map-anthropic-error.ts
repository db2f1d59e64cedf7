import type { GatewayError, HeaderMap } from '../../core/index.js';
import { upstreamError, type ErrorBodyReading } from '../shared/classify-upstream-status.js';
import { redactSecrets } from '../shared/redact-secrets.js';
import { anthropicErrorBodySchema } from '../../wire/anthropic-messages/anthropic-response-schemas.js';
import type { AnthropicErrorDetail } from '../../wire/anthropic-messages/anthropic-response-schemas.js';

/** The HTTP status each Anthropic error type is sent with, for error events that arrive inside a 200 stream. */
const STATUS_BY_TYPE: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

const CONTEXT_OVERFLOW = /prompt is too long|exceed(?:s|ed)? context limit|context window/i;
const SPEND_LIMIT = /credit balance|spend(?:ing)? limit|billing/i;

function describe(prefix: string, detail: AnthropicErrorDetail | undefined): string {
  if (!detail) return prefix;
  const text = detail.message === undefined ? '' : `: ${redactSecrets(detail.message)}`;
  return `${prefix} (${detail.type})${text}`;
}

/** What Anthropic's body adds to the status: overload whatever the status, a too-long prompt, a spend limit. */
function readBody(status: number, detail: AnthropicErrorDetail | undefined): ErrorBodyReading {
  if (detail?.type === 'overloaded_error') return { code: 'upstream_overloaded' };
  const message = detail?.message ?? '';
  if (status === 400 && CONTEXT_OVERFLOW.test(message)) return { code: 'context_length_exceeded' };
  if (status === 429 && SPEND_LIMIT.test(message)) return { final: true };
  return {};
}

/** Maps an `error` event received after HTTP 200 (e.g. `overloaded_error`) to a GatewayError. */
export function anthropicStreamError(detail: AnthropicErrorDetail, provider: string): GatewayError {
  const status = STATUS_BY_TYPE[detail.type] ?? 500;
  return upstreamError(status, {}, readBody(status, detail), { provider, message: describe('Anthropic stream error', detail) });
}

/** Maps an HTTP error response through the shared status classifier. */
export function anthropicHttpError(status: number, headers: HeaderMap, body: unknown, provider: string): GatewayError {
  const parsed = anthropicErrorBodySchema.safeParse(body);
  const detail = parsed.success ? parsed.data.error : undefined;
  const message = describe(`Anthropic returned HTTP ${status}`, detail);
  return upstreamError(status, headers, readBody(status, detail), { provider, message, upstreamStatus: status });
}
