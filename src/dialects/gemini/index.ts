export { geminiDialect } from './gemini-dialect.js';
export { parseGeminiRequest } from './parse-gemini-request.js';
export { renderGeminiResponse } from './render-gemini-response.js';
export { GeminiStreamEncoder } from './gemini-stream-encoder.js';
export { renderGeminiError } from './render-gemini-error.js';
export { openApiSchemaToJsonSchema } from './openapi-schema-to-json-schema.js';
