import { totalInputTokens, totalOutputTokens, type Usage } from '../../core/index.js';

/** The Responses API `usage` object. */
export interface OpenAIResponsesUsage {
  input_tokens: number;
  input_tokens_details: { cached_tokens: number };
  output_tokens: number;
  output_tokens_details: { reasoning_tokens: number };
  total_tokens: number;
}

/** Renders usage in the Responses API's inclusive totals; unreported counts become 0 because clients expect numbers. */
export function toOpenAIResponsesUsage(usage: Usage): OpenAIResponsesUsage {
  const input = totalInputTokens(usage) ?? 0;
  const output = totalOutputTokens(usage) ?? 0;
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
    total_tokens: input + output,
  };
}
