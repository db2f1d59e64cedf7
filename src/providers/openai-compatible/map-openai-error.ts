import type { ErrorCode, HeaderMap } from '../../core/index.js';
import { GatewayError } from '../../core/index.js';
import { parseRetryAfter } from '../shared/retry-after.js';
import { parseRetryHint } from './parse-retry-hint.js';
import type { UpstreamErrorInfo } from './read-openai-error-body.js';
import { readOpenAIErrorBody } from './read-openai-error-body.js';
import { redactSecrets } from '../shared/redact-secrets.js';

const CONTEXT_LENGTH = /context[_ ]length|maximum context|context window|prompt is too long|too many tokens|reduce the length of the messages/i;
const QUOTA = /insufficient_quota|exceeded your current quota|insufficient[ _]balance|credit[ _]balance/i;

function isContextLength(info: UpstreamErrorInfo): boolean {
  return info.code === 'context_length_exceeded' || CONTEXT_LENGTH.test(info.message ?? '');
}

function isQuotaExhausted(info: UpstreamErrorInfo): boolean {
  return QUOTA.test(`${info.type ?? ''} ${info.code ?? ''} ${info.message ?? ''}`);
}

function codeForStatus(status: number, info: UpstreamErrorInfo): ErrorCode {
  if (status === 400 || status === 413 || status === 422) {
    return isContextLength(info) ? 'context_length_exceeded' : 'upstream_bad_request';
  }
  if (status === 401 || status === 402 || status === 403) return 'upstream_authentication';
  if (status === 404) return 'upstream_not_found';
  if (status === 408) return 'upstream_timeout';
  if (status === 429) return 'upstream_rate_limited';
  if (status === 503 || status === 529) return 'upstream_overloaded';
  if (status === 409 || status >= 500) return 'upstream_server_error';
  return 'upstream_bad_request';
}

interface ErrorContext {
  providerId: string;
  prefix: string;
  /** Set for HTTP errors; in-stream errors have no status of their own. */
  upstreamStatus?: number;
}

function classify(status: number, headers: HeaderMap, info: UpstreamErrorInfo, context: ErrorContext): GatewayError {
  const { providerId, prefix } = context;
  const code = codeForStatus(status, info);
  const summary = info.message === undefined ? prefix : `${prefix}: ${redactSecrets(info.message)}`;
  const quota = status === 402 || (status === 429 && isQuotaExhausted(info));
  return new GatewayError(code, summary, {
    provider: providerId,
    retryable: quota ? false : undefined,
    retryAfterMs: quota
      ? undefined
      : code === 'upstream_rate_limited'
        ? (parseRetryAfter(headers) ?? parseRetryHint(info.message))
        : parseRetryAfter(headers),
    upstreamStatus: context.upstreamStatus,
  });
}

/** Maps an OpenAI-family HTTP error response to a GatewayError with a short, key-free message. */
export function mapOpenAIError(status: number, headers: HeaderMap, body: unknown, providerId: string): GatewayError {
  const prefix = `${providerId} returned HTTP ${status}`;
  return classify(status, headers, readOpenAIErrorBody(body), { providerId, prefix, upstreamStatus: status });
}

/** The HTTP status an in-stream error would have had, judged from its type and code. */
function inferStatus(info: UpstreamErrorInfo): number {
  const code = Number(info.code);
  if (Number.isInteger(code) && code >= 400 && code < 600) return code;
  const kind = `${info.type ?? ''} ${info.code ?? ''}`;
  if (/quota|rate_limit|tokens|requests/i.test(kind)) return 429;
  if (/context_length/i.test(kind)) return 400;
  if (/auth|api_key|permission/i.test(kind)) return 401;
  if (/not_found/i.test(kind)) return 404;
  if (/overloaded|unavailable/i.test(kind)) return 503;
  if (/invalid_request|bad_request/i.test(kind)) return 400;
  return 500;
}

/** Maps an error delivered inside a 200 stream (`data: {"error":…}` or `event: error`) to a GatewayError. */
export function mapOpenAIStreamError(payload: unknown, providerId: string): GatewayError {
  const info = readOpenAIErrorBody(payload);
  return classify(inferStatus(info), {}, info, { providerId, prefix: `${providerId} reported an error mid-stream` });
}
