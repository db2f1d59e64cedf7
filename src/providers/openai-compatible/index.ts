export { createOpenAICompatibleAdapter } from './create-openai-compatible-adapter.js';
