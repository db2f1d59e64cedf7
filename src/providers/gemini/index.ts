export { geminiAdapter } from './gemini-adapter.js';
export { GEMINI_DEFAULTS } from './gemini-transport.js';
export { sanitizeSchemaForGemini } from './sanitize-schema-for-gemini.js';
export { GeminiStreamDecoder, createGeminiStreamDecoder } from './gemini-stream-decoder.js';
export type { GeminiSchemaMode } from './convert-to-gemini-tools.js';
