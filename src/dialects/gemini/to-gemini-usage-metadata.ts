import { totalInputTokens, type Usage } from '../../core/index.js';

/** Gemini `usageMetadata`; the optional counts appear only when the upstream reported them. */
export interface GeminiUsageMetadata {
  promptTokenCount: number;
  candidatesTokenCount: number;
  totalTokenCount: number;
  cachedContentTokenCount?: number;
  thoughtsTokenCount?: number;
}

/**
 * Converts canonical usage: `promptTokenCount` includes cached tokens and `candidatesTokenCount` excludes thoughts,
 * as Gemini counts them; the total is their sum.
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
