export { anthropicMessagesDialect } from './anthropic-messages-dialect.js';
export { anthropicVersionOf, type AnthropicApiVersion } from '../../wire/anthropic-messages/anthropic-version.js';
export { parseAnthropicRequest, parseCountTokensRequest, renderCountTokens } from './parse-anthropic-request.js';
export { renderAnthropicResponse, type AnthropicMessage } from './render-anthropic-response.js';
export { AnthropicStreamEncoder } from './anthropic-stream-encoder.js';
export { renderAnthropicError } from './render-anthropic-error.js';
