export { createOpenAIResponsesDialect, openAIResponsesDialect } from './openai-responses-dialect.js';
export { parseOpenAIResponsesRequest } from './parse-openai-responses-request.js';
export { renderFailedResponse, renderOpenAIResponsesResponse, renderPendingResponse } from './render-openai-responses-response.js';
export { renderInputTokens } from './render-input-tokens.js';
export { outputAsInputItems, toStoredInputItems } from './responses-input-items.js';
export type { ResponsesLifecycle } from './responses-output-items.js';
export { pageInputItems } from './page-input-items.js';
