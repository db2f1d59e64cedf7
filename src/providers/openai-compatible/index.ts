export { createOpenAICompatibleAdapter } from './create-openai-compatible-adapter.js';
export { toMistralToolCallId } from './to-mistral-tool-call-id.js';
