export { createOpenAICompatibleAdapter } from './create-openai-compatible-adapter.js';
export { OPENAI_FAMILY_DEFAULTS, isOpenAIFamilyType } from './openai-family-defaults.js';
export type { OpenAIFamilyDefault, OpenAIFamilyType } from './openai-family-defaults.js';
export { toMistralToolCallId } from './to-mistral-tool-call-id.js';
