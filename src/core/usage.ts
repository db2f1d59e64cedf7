/**
 * Token usage in disjoint buckets, so cost is a plain dot product:
 *   inputTokens       prompt tokens that were neither read from nor written to a cache
 *   cacheReadTokens   prompt tokens served from a cache
 *   cacheWriteTokens  prompt tokens written to a cache (Anthropic cache creation)
 *   outputTokens      generated tokens excluding reasoning
 *   reasoningTokens   generated reasoning/thinking tokens
 * `undefined` means "not reported", never 0. `raw` keeps the provider's own object for the log.
 */
export interface Usage {
  inputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  outputTokens?: number;
  reasoningTokens?: number;
  raw?: unknown;
}

/** All prompt tokens (OpenAI `prompt_tokens` semantics), or undefined when nothing was reported. */
export function totalInputTokens(usage: Usage): number | undefined {
  if (usage.inputTokens === undefined && usage.cacheReadTokens === undefined && usage.cacheWriteTokens === undefined) {
    return undefined;
  }
  return (usage.inputTokens ?? 0) + (usage.cacheReadTokens ?? 0) + (usage.cacheWriteTokens ?? 0);
}

/** All generated tokens including reasoning (OpenAI `completion_tokens` semantics). */
export function totalOutputTokens(usage: Usage): number | undefined {
  if (usage.outputTokens === undefined && usage.reasoningTokens === undefined) return undefined;
  return (usage.outputTokens ?? 0) + (usage.reasoningTokens ?? 0);
}

export type UnifiedFinishReason = 'stop' | 'length' | 'tool-calls' | 'content-filter' | 'error' | 'other';

/** Why generation ended: the unified value plus the provider's raw string (e.g. `end_turn`, `MAX_TOKENS`). */
export interface FinishReason {
  unified: UnifiedFinishReason;
  raw?: string;
  /** Anthropic reports which stop sequence matched. */
  stopSequence?: string;
}
