/** List prices in USD per million tokens; reasoning tokens are billed as output everywhere. */
export interface ModelPrice {
  input: number;
  output: number;
  /** Prompt tokens served from a cache; input price when absent. */
  cacheRead?: number;
  /** Prompt tokens written to a cache (Anthropic); input price when absent. */
  cacheWrite?: number;
}

/** What the gateway knows about one upstream model: limits, the features it can honour, and its price. */
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
  price?: ModelPrice;
}
