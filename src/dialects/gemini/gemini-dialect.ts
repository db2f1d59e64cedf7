import type { Dialect } from '../dialect.js';
import { GeminiStreamEncoder } from './gemini-stream-encoder.js';
import { parseGeminiRequest } from './parse-gemini-request.js';
import { renderGeminiError } from './render-gemini-error.js';
import { renderGeminiResponse } from './render-gemini-response.js';

/**
 * The Gemini dialect: clients of `POST /v1beta/models/{model}:generateContent` and `:streamGenerateContent?alt=sse`
 * (the official `@google/genai` SDK). The HTTP layer passes `params = { model, method }` from the URL.
 */
export const geminiDialect: Dialect = {
  format: 'gemini',
  parseRequest: parseGeminiRequest,
  renderResponse: renderGeminiResponse,
  createStreamEncoder: (context) => new GeminiStreamEncoder(context),
  renderError: renderGeminiError,
};
