import type { GatewayError, HeaderMap } from '../../core/index.js';
import { upstreamError, type ErrorBodyReading } from '../shared/classify-upstream-status.js';
import { parseDurationString } from '../shared/retry-after.js';
import { geminiErrorBodySchema } from '../../wire/gemini/gemini-response-schema.js';
import type { GeminiErrorPayload } from '../../wire/gemini/gemini-response-schema.js';
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

function retryDelayMs(payload: GeminiErrorPayload | undefined): number | undefined {
  const info = payload?.details?.find((detail) => detail['@type']?.endsWith('google.rpc.RetryInfo') === true);
  return parseDurationString(info?.retryDelay);
}

/** What Gemini's body adds to the status: a bad key sent as 400, an oversized prompt, `RetryInfo.retryDelay`. */
function readBody(status: number, payload: GeminiErrorPayload | undefined): ErrorBodyReading {
  const retryAfterMs = retryDelayMs(payload);
  if (status === 400 && hasDetail(payload, 'google.rpc.ErrorInfo', 'API_KEY_INVALID')) return { code: 'upstream_authentication' };
  if (status === 400 && CONTEXT_OVERFLOW.test(payload?.message ?? '')) return { code: 'context_length_exceeded' };
  return { retryAfterMs };
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
  const label = payload?.status === undefined ? `HTTP ${effectiveStatus}` : `HTTP ${effectiveStatus} ${payload.status}`;
  const detail = payload?.message === undefined ? '' : `: ${redactSecrets(payload.message)}`;
  const message = `Gemini error (${label})${detail}`;
  return upstreamError(effectiveStatus, headers, readBody(effectiveStatus, payload), { provider: providerId, message, upstreamStatus: status });
}
