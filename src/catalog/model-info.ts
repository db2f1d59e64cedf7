export type { ModelInfo, ModelPrice } from '../core/index.js';

/** Wire formats the catalogue is keyed by (the OpenAI-compatible family shares `openai-chat`). */
export type CatalogFormat = 'openai-chat' | 'anthropic-messages' | 'gemini';

/** `max_tokens` for a model the catalogue does not know, where the upstream requires one. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
