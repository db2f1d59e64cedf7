export { openAIChatDialect } from './openai-chat-dialect.js';
export { parseOpenAIChatRequest } from './parse-openai-chat-request.js';
export { renderOpenAIChatResponse } from './render-openai-chat-response.js';
export { createOpenAIChatStreamEncoder } from './create-openai-chat-stream-encoder.js';
export { renderOpenAIError, renderOpenAIErrorBody, type OpenAIErrorBody } from './render-openai-error.js';
export { parseOpenAIEmbeddingsRequest } from './parse-openai-embeddings-request.js';
export { renderOpenAIEmbeddingsResponse } from './render-openai-embeddings-response.js';
