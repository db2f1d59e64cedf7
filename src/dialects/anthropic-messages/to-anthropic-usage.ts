import type { Usage } from '../../core/index.js';

/** The usage object of an Anthropic message (every count a number; unreported counts are 0). */
export interface AnthropicUsage {
  input_tokens: number;
  cache_creation_input_tokens: number;
  cache_read_input_tokens: number;
  output_tokens: number;
}

/** Converts canonical usage; `output_tokens` includes reasoning, as Anthropic counts thinking as output. */
export function toAnthropicUsage(usage: Usage): AnthropicUsage {
  return {
    input_tokens: usage.inputTokens ?? 0,
    cache_creation_input_tokens: usage.cacheWriteTokens ?? 0,
    cache_read_input_tokens: usage.cacheReadTokens ?? 0,
    output_tokens: (usage.outputTokens ?? 0) + (usage.reasoningTokens ?? 0),
  };
}
