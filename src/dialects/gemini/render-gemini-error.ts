import { ERROR_TABLE, type GatewayError } from '../../core/index.js';
import type { RenderedError } from '../dialect.js';

/** The Gemini error body: `{error:{code, message, status}}`, as the REST API and the in-stream error chunk use it. */
export function geminiErrorBody(error: GatewayError): { error: { code: number; message: string; status: string } } {
  return { error: { code: error.status, message: error.message, status: ERROR_TABLE[error.code].gemini } };
}

/** Renders an error for Gemini clients, with `retry-after` (whole seconds) when a delay is known. */
export function renderGeminiError(error: GatewayError): RenderedError {
  const headers: Record<string, string> = {};
  if (error.retryAfterMs !== undefined) headers['retry-after'] = String(Math.ceil(error.retryAfterMs / 1000));
  return { status: error.status, body: geminiErrorBody(error), headers };
}
