import type { Dialect } from '../dialect.js';
import { renderOpenAIError } from '../openai-chat/render-openai-error.js';
import { createOpenAIResponsesStreamEncoder } from './create-openai-responses-stream-encoder.js';
import { parseOpenAIResponsesRequest } from './parse-openai-responses-request.js';
import { renderOpenAIResponsesResponse } from './render-openai-responses-response.js';
import { DEFAULT_LIFECYCLE, type ResponsesLifecycle } from './responses-output-items.js';

/**
 * The Responses dialect for one request: it parses with the stored conversation the request continues (`priorItems`,
 * from `previous_response_id`) and echoes the request's lifecycle (`store`, `background`, `previous_response_id`) in
 * every Response object it renders. Errors use OpenAI's `{error: {...}}` body.
 */
export function createOpenAIResponsesDialect(lifecycle: ResponsesLifecycle, priorItems?: ReadonlyArray<Record<string, unknown>>): Dialect {
  return {
    format: 'openai-responses',
    parseRequest: (body) => parseOpenAIResponsesRequest(body, priorItems),
    renderResponse: (response, context) => renderOpenAIResponsesResponse(response, context, lifecycle),
    createStreamEncoder: (context) => createOpenAIResponsesStreamEncoder(context, lifecycle),
    renderError: renderOpenAIError,
  };
}

/** The OpenAI Responses API client dialect (`POST /v1/responses`) for a request that continues no stored response. */
export const openAIResponsesDialect: Dialect = createOpenAIResponsesDialect(DEFAULT_LIFECYCLE);
