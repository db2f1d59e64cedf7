import type { GatewayError, HeaderMap } from '../../core/index.js';
import { upstreamError, type ErrorBodyReading } from '../shared/classify-upstream-status.js';
import { parseRetryHint } from './parse-retry-hint.js';
import type { UpstreamErrorInfo } from './read-openai-error-body.js';
import { readOpenAIErrorBody } from './read-openai-error-body.js';
import { redactSecrets } from '../shared/redact-secrets.js';

const CONTEXT_LENGTH = /context[_ ]length|maximum context|context window|context size|prompt is too long|too many tokens|reduce the length of the messages/i;
/** In-body types and codes that mean the prompt does not fit (llama.cpp's server says `exceed_context_size_error`). */
const CONTEXT_KINDS = new Set(['context_length_exceeded', 'exceed_context_size_error']);
const QUOTA = /insufficient_quota|exceeded your current quota|insufficient[ _]balance|credit[ _]balance/i;

function isContextLength(info: UpstreamErrorInfo): boolean {
  return CONTEXT_KINDS.has(info.code ?? '') || CONTEXT_KINDS.has(info.type ?? '') || CONTEXT_LENGTH.test(info.message ?? '');
}

function isQuotaExhausted(info: UpstreamErrorInfo): boolean {
  return QUOTA.test(`${info.type ?? ''} ${info.code ?? ''} ${info.message ?? ''}`);
}

/** What an OpenAI-family body adds to the status: a prompt too long, an exhausted quota, a retry hint in the text. */
function readBody(status: number, info: UpstreamErrorInfo): ErrorBodyReading {
  if ((status === 400 || status === 413 || status === 422) && isContextLength(info)) return { code: 'context_length_exceeded' };
  if (status === 429 && isQuotaExhausted(info)) return { final: true };
  return status === 429 ? { retryAfterMs: parseRetryHint(info.message) } : {};
}

interface ErrorContext {
  providerId: string;
  prefix: string;
  /** Set for HTTP errors; in-stream errors have no status of their own. */
  upstreamStatus?: number;
}

function classify(status: number, headers: HeaderMap, info: UpstreamErrorInfo, context: ErrorContext): GatewayError {
  const { providerId, prefix } = context;
  const message = info.message === undefined ? prefix : `${prefix}: ${redactSecrets(info.message)}`;
  return upstreamError(status, headers, readBody(status, info), { provider: providerId, message, upstreamStatus: context.upstreamStatus });
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
  if (/context_length|context_size/i.test(kind)) return 400;
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
