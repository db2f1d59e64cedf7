import { ERROR_TABLE, type GatewayError } from '../../core/index.js';
import type { RenderedError } from '../dialect.js';

export interface OpenAIErrorBody {
  error: { message: string; type: string; code: string; param: string | null };
}

/** The `{error: {...}}` body OpenAI clients parse, shared by HTTP error responses and in-stream error events. */
export function renderOpenAIErrorBody(error: GatewayError): OpenAIErrorBody {
  return {
    error: { message: error.message, type: ERROR_TABLE[error.code].openai, code: error.code, param: error.param ?? null },
  };
}

/** Renders a GatewayError for any OpenAI-format endpoint, with `retry-after` (whole seconds, rounded up) when known. */
export function renderOpenAIError(error: GatewayError): RenderedError {
  const headers: Record<string, string> = {};
  if (error.retryAfterMs !== undefined) headers['retry-after'] = String(Math.max(0, Math.ceil(error.retryAfterMs / 1000)));
  return { status: ERROR_TABLE[error.code].status, body: renderOpenAIErrorBody(error), headers };
}
