export { openAIChatDialect } from './openai-chat-dialect.js';
export type { OpenAIErrorBody } from './render-openai-error.js';
export { parseOpenAIEmbeddingsRequest } from './parse-openai-embeddings-request.js';
export { renderOpenAIEmbeddingsResponse } from './render-openai-embeddings-response.js';
