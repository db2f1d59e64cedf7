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

/** Splits Responses API usage into the gateway's disjoint buckets: input includes cached tokens, output includes reasoning. */
export function fromOpenAIResponsesUsage(usage: unknown): Usage {
  const record = typeof usage === 'object' && usage !== null ? (usage as Record<string, unknown>) : {};
  const number = (value: unknown): number | undefined => (typeof value === 'number' && Number.isFinite(value) ? value : undefined);
  const details = (key: string, field: string): number | undefined => {
    const inner = record[key];
    return typeof inner === 'object' && inner !== null ? number((inner as Record<string, unknown>)[field]) : undefined;
  };
  const input = number(record.input_tokens);
  const output = number(record.output_tokens);
  const cached = details('input_tokens_details', 'cached_tokens');
  const reasoning = details('output_tokens_details', 'reasoning_tokens');
  const out: Usage = { raw: usage };
  if (input !== undefined) out.inputTokens = Math.max(0, input - (cached ?? 0));
  if (cached !== undefined) out.cacheReadTokens = cached;
  if (output !== undefined) out.outputTokens = Math.max(0, output - (reasoning ?? 0));
  if (reasoning !== undefined) out.reasoningTokens = reasoning;
  return out;
}
