import { totalInputTokens, totalOutputTokens, type Usage } from '../../core/index.js';
import type { OpenAIUsage } from './openai-chat-response-schemas.js';

function minus(total: number | null | undefined, part: number | undefined): number | undefined {
  if (total === null || total === undefined) return undefined;
  return Math.max(0, total - (part ?? 0));
}

/**
 * Splits OpenAI-style usage into the gateway's disjoint buckets: `prompt_tokens` includes cached tokens and
 * `completion_tokens` includes reasoning tokens, so both are subtracted out. Unreported fields stay undefined.
 */
export function fromOpenAIUsage(usage: OpenAIUsage): Usage {
  const cached = usage.prompt_tokens_details?.cached_tokens ?? usage.prompt_cache_hit_tokens ?? undefined;
  const reasoning = usage.completion_tokens_details?.reasoning_tokens ?? undefined;
  const out: Usage = { raw: usage };
  const input = minus(usage.prompt_tokens, cached);
  const output = minus(usage.completion_tokens, reasoning);
  if (input !== undefined) out.inputTokens = input;
  if (cached !== undefined) out.cacheReadTokens = cached;
  if (output !== undefined) out.outputTokens = output;
  if (reasoning !== undefined) out.reasoningTokens = reasoning;
  return out;
}

/** Renders usage in OpenAI's inclusive totals; unreported counts become 0 because OpenAI clients expect numbers. */
export function toOpenAIUsage(usage: Usage): OpenAIUsage {
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
