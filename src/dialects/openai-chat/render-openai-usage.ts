import { totalInputTokens, totalOutputTokens, type Usage } from '../../core/index.js';

export interface OpenAIUsage {
  prompt_tokens: number;
  completion_tokens: number;
  total_tokens: number;
  prompt_tokens_details: { cached_tokens: number };
  completion_tokens_details: { reasoning_tokens: number };
}

/** Renders usage in OpenAI's inclusive totals; unreported counts become 0 because OpenAI clients expect numbers. */
export function renderOpenAIUsage(usage: Usage): OpenAIUsage {
  const prompt = totalInputTokens(usage) ?? 0;
  const completion = totalOutputTokens(usage) ?? 0;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: { cached_tokens: usage.cacheReadTokens ?? 0 },
    completion_tokens_details: { reasoning_tokens: usage.reasoningTokens ?? 0 },
  };
}
