export { openAIResponsesDialect } from './openai-responses-dialect.js';
export { parseOpenAIResponsesRequest } from './parse-openai-responses-request.js';
export { renderInputTokens } from './render-input-tokens.js';
