import type { Usage } from '../core/index.js';
import type { ModelPrice } from './model-info.js';

const PER_TOKEN = 1 / 1_000_000;

/**
 * Cost in USD of one response's usage at list prices: each disjoint bucket times its price (cache buckets fall back
 * to the input price, reasoning is billed as output). Undefined when no bucket was reported.
 */
export function costOfUsage(usage: Usage, price: ModelPrice): number | undefined {
  const { inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens } = usage;
  if ([inputTokens, cacheReadTokens, cacheWriteTokens, outputTokens, reasoningTokens].every((n) => n === undefined)) return undefined;
  const cost =
    (inputTokens ?? 0) * price.input +
    (cacheReadTokens ?? 0) * (price.cacheRead ?? price.input) +
    (cacheWriteTokens ?? 0) * (price.cacheWrite ?? price.input) +
    ((outputTokens ?? 0) + (reasoningTokens ?? 0)) * price.output;
  return Math.round(cost * PER_TOKEN * 1e10) / 1e10;
}

/**
 * What cache pricing saved on one response: its cost with every prompt token billed as plain input, minus its cost
 * as billed (cache reads cheaper, Anthropic cache writes dearer, so it can be negative). Undefined without cache reads.
 */
export function cacheSavingOfUsage(usage: Usage, price: ModelPrice): number | undefined {
  if (!usage.cacheReadTokens) return undefined;
  const billed = costOfUsage(usage, price);
  const uncached = costOfUsage(
    { ...usage, inputTokens: (usage.inputTokens ?? 0) + usage.cacheReadTokens + (usage.cacheWriteTokens ?? 0), cacheReadTokens: 0, cacheWriteTokens: 0 },
    price,
  );
  if (billed === undefined || uncached === undefined) return undefined;
  return Math.round((uncached - billed) * 1e10) / 1e10;
}
