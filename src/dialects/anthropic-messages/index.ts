export { anthropicMessagesDialect } from './anthropic-messages-dialect.js';
export type { AnthropicApiVersion } from '../../wire/anthropic-messages/anthropic-version.js';
export { parseCountTokensRequest, renderCountTokens } from './parse-anthropic-request.js';
export type { AnthropicMessage } from './render-anthropic-response.js';
