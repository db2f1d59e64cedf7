import { GatewayError } from '../../core/index.js';
import type { ErrorCode, HeaderMap } from '../../core/index.js';
import { parseDurationString, parseRetryAfter } from '../shared/retry-after.js';
import { geminiErrorBodySchema } from './gemini-response-schema.js';
import type { GeminiErrorPayload } from './gemini-response-schema.js';
import { redactSecrets } from '../shared/redact-secrets.js';

/** HTTP status behind each gRPC canonical name, for error payloads that arrive inside a 200 stream. */
const CANONICAL_STATUS: Readonly<Record<string, number>> = {
  INVALID_ARGUMENT: 400,
  FAILED_PRECONDITION: 400,
  OUT_OF_RANGE: 400,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  NOT_FOUND: 404,
  RESOURCE_EXHAUSTED: 429,
  CANCELLED: 499,
  INTERNAL: 500,
  UNKNOWN: 500,
  UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

const CONTEXT_OVERFLOW = /input token count.*exceeds the maximum/i;

/** Reads the `{error:{…}}` payload from a body that may also come wrapped in a one-element array. */
export function readGeminiErrorPayload(body: unknown): GeminiErrorPayload | undefined {
  const candidate = Array.isArray(body) ? (body as unknown[])[0] : body;
  const parsed = geminiErrorBodySchema.safeParse(candidate);
  return parsed.success ? parsed.data.error : undefined;
}

function hasDetail(payload: GeminiErrorPayload | undefined, type: string, reason?: string): boolean {
  return (payload?.details ?? []).some(
    (detail) => detail['@type']?.endsWith(type) === true && (reason === undefined || detail.reason === reason),
  );
}

function retryDelayMs(payload: GeminiErrorPayload | undefined, headers: HeaderMap): number | undefined {
  const info = payload?.details?.find((detail) => detail['@type']?.endsWith('google.rpc.RetryInfo') === true);
  return parseDurationString(info?.retryDelay) ?? parseRetryAfter(headers);
}

function chooseCode(status: number, payload: GeminiErrorPayload | undefined): ErrorCode {
  const message = payload?.message ?? '';
  if (status === 400) {
    if (hasDetail(payload, 'google.rpc.ErrorInfo', 'API_KEY_INVALID')) return 'upstream_authentication';
    return CONTEXT_OVERFLOW.test(message) ? 'context_length_exceeded' : 'upstream_bad_request';
  }
  if (status === 401 || status === 403) return 'upstream_authentication';
  if (status === 404) return 'upstream_not_found';
  if (status === 408 || status === 504) return 'upstream_timeout';
  if (status === 429) return 'upstream_rate_limited';
  if (status === 503) return 'upstream_overloaded';
  if (status >= 400 && status < 500) return 'upstream_bad_request';
  return 'upstream_server_error';
}

/**
 * Maps a Gemini error (HTTP status + `{error:{code,message,status,details}}` body) to a GatewayError. `status`
 * undefined means the payload came in-band after a 200, so its own `code`/`status` decide.
 */
export function mapGeminiError(
  status: number | undefined,
  headers: HeaderMap,
  body: unknown,
  providerId: string,
): GatewayError {
  const payload = readGeminiErrorPayload(body);
  const effectiveStatus =
    status ?? payload?.code ?? (payload?.status === undefined ? undefined : CANONICAL_STATUS[payload.status]) ?? 500;
  const code = chooseCode(effectiveStatus, payload);
  const label = payload?.status === undefined ? `HTTP ${effectiveStatus}` : `HTTP ${effectiveStatus} ${payload.status}`;
  const detail = payload?.message === undefined ? '' : `: ${redactSecrets(payload.message)}`;
  return new GatewayError(code, `Gemini error (${label})${detail}`, {
    provider: providerId,
    upstreamStatus: status,
    retryAfterMs: retryDelayMs(payload, headers),
  });
}
