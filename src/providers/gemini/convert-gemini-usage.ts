import type { Usage } from '../../core/index.js';
import type { GeminiUsagePayload } from './gemini-response-schema.js';

/**
 * Converts Gemini `usageMetadata` into disjoint buckets. `promptTokenCount` includes the cached tokens, so they are
 * subtracted; `toolUsePromptTokenCount` (tool results fed back by built-in tools) is prompt input billed on top.
 * `candidatesTokenCount` already excludes `thoughtsTokenCount`.
 */
export function convertGeminiUsage(usage: GeminiUsagePayload | undefined): Usage {
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
