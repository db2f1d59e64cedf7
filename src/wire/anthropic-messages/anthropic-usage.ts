import type { Usage } from '../../core/index.js';
import type { AnthropicUsage } from './anthropic-response-schemas.js';

/**
 * Maps Anthropic usage to disjoint buckets. `input_tokens` already excludes cache reads and writes; `output_tokens`
 * includes thinking, which is split out when `output_tokens_details.thinking_tokens` reports it.
 */
export function fromAnthropicUsage(usage: AnthropicUsage, raw: unknown): Usage {
  const out: Usage = { raw };
  if (usage.input_tokens != null) out.inputTokens = usage.input_tokens;
  if (usage.cache_read_input_tokens != null) out.cacheReadTokens = usage.cache_read_input_tokens;
  if (usage.cache_creation_input_tokens != null) out.cacheWriteTokens = usage.cache_creation_input_tokens;
  const thinking = usage.output_tokens_details?.thinking_tokens ?? undefined;
  if (thinking !== undefined) out.reasoningTokens = thinking;
  if (usage.output_tokens != null) out.outputTokens = usage.output_tokens - (thinking ?? 0);
  return out;
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
