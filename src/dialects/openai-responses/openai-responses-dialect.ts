import type { Dialect } from '../dialect.js';
import { renderOpenAIError } from '../openai-chat/render-openai-error.js';
import { createOpenAIResponsesStreamEncoder } from './create-openai-responses-stream-encoder.js';
import { parseOpenAIResponsesRequest } from './parse-openai-responses-request.js';
import { renderOpenAIResponsesResponse } from './render-openai-responses-response.js';

/** The OpenAI Responses API client dialect (`POST /v1/responses`); errors use OpenAI's `{error: {...}}` body. */
export const openAIResponsesDialect: Dialect = {
  format: 'openai-responses',
  parseRequest: (body) => parseOpenAIResponsesRequest(body),
  renderResponse: renderOpenAIResponsesResponse,
  createStreamEncoder: createOpenAIResponsesStreamEncoder,
  renderError: renderOpenAIError,
};
