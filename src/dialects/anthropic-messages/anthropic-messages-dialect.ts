import type { Dialect } from '../dialect.js';
import { AnthropicStreamEncoder } from './anthropic-stream-encoder.js';
import { parseAnthropicRequest } from './parse-anthropic-request.js';
import { renderAnthropicError } from './render-anthropic-error.js';
import { renderAnthropicResponse } from './render-anthropic-response.js';

/** The `POST /v1/messages` dialect: clients of the official Anthropic SDKs (API versions 2023-06-01 and 2026-10-21). */
export const anthropicMessagesDialect: Dialect = {
  format: 'anthropic-messages',
  parseRequest: parseAnthropicRequest,
  renderResponse: renderAnthropicResponse,
  createStreamEncoder: (context) => new AnthropicStreamEncoder(context),
  renderError: renderAnthropicError,
};
