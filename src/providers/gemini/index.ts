export { geminiAdapter } from './gemini-adapter.js';
export { sanitizeSchemaForGemini } from './sanitize-schema-for-gemini.js';
export { GeminiStreamDecoder, createGeminiStreamDecoder } from './gemini-stream-decoder.js';
