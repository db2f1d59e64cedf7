/** What the gateway knows about one upstream model: limits and the features it can honour. */
export interface ModelInfo {
  contextWindow: number;
  maxOutputTokens: number;
  capabilities: {
    tools: boolean;
    vision: boolean;
    /** Structured output against a JSON Schema, natively or by a translation the adapter performs. */
    jsonSchema: boolean;
    reasoning: boolean;
    /** The provider's own schema-constrained output mode (Anthropic `output_config.format`). */
    nativeStructuredOutput?: boolean;
  };
}

/** Wire formats the catalogue is keyed by (the OpenAI-compatible family shares `openai-chat`). */
export type CatalogFormat = 'openai-chat' | 'anthropic-messages' | 'gemini';

/** `max_tokens` for a model the catalogue does not know, where the upstream requires one. */
export const DEFAULT_MAX_OUTPUT_TOKENS = 4096;
