import { totalInputTokens, type Usage } from '../../core/index.js';
import type { GeminiUsageMetadata } from './gemini-response-schema.js';

/**
 * Converts Gemini `usageMetadata` into disjoint buckets. `promptTokenCount` includes the cached tokens, so they are
 * subtracted; `toolUsePromptTokenCount` (tool results fed back by built-in tools) is prompt input billed on top.
 * `candidatesTokenCount` already excludes `thoughtsTokenCount`.
 */
export function fromGeminiUsage(usage: GeminiUsageMetadata | undefined): Usage {
  if (usage === undefined) return {};
  const out: Usage = { raw: usage };
  const cached = usage.cachedContentTokenCount;
  const prompt = usage.promptTokenCount;
  const toolUse = usage.toolUsePromptTokenCount;
  if (cached !== undefined) out.cacheReadTokens = cached;
  if (prompt !== undefined || toolUse !== undefined) {
    out.inputTokens = Math.max(0, (prompt ?? 0) - (cached ?? 0)) + (toolUse ?? 0);
  }
  if (usage.candidatesTokenCount !== undefined) out.outputTokens = usage.candidatesTokenCount;
  if (usage.thoughtsTokenCount !== undefined) out.reasoningTokens = usage.thoughtsTokenCount;
  return out;
}

/**
 * Converts canonical usage: `promptTokenCount` includes cached tokens and `candidatesTokenCount` excludes thoughts,
 * as Gemini counts them; the total is their sum. The optional counts appear only when the upstream reported them.
 */
export function toGeminiUsageMetadata(usage: Usage): GeminiUsageMetadata {
  const prompt = totalInputTokens(usage) ?? 0;
  const candidates = usage.outputTokens ?? 0;
  const metadata: GeminiUsageMetadata = {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates + (usage.reasoningTokens ?? 0),
  };
  if (usage.cacheReadTokens !== undefined) metadata.cachedContentTokenCount = usage.cacheReadTokens;
  if (usage.reasoningTokens !== undefined) metadata.thoughtsTokenCount = usage.reasoningTokens;
  return metadata;
}
