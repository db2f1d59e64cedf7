import type { Dialect } from '../dialect.js';
import { createOpenAIChatStreamEncoder } from './create-openai-chat-stream-encoder.js';
import { parseOpenAIChatRequest } from './parse-openai-chat-request.js';
import { renderOpenAIChatResponse } from './render-openai-chat-response.js';
import { renderOpenAIError } from './render-openai-error.js';

/** The OpenAI Chat Completions client dialect (`POST /v1/chat/completions`). */
export const openAIChatDialect: Dialect = {
  format: 'openai-chat',
  parseRequest: (body) => parseOpenAIChatRequest(body),
  renderResponse: renderOpenAIChatResponse,
  createStreamEncoder: createOpenAIChatStreamEncoder,
  renderError: renderOpenAIError,
};
