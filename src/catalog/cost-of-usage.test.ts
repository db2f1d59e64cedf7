import { describe, expect, it } from 'vitest';
import { cacheSavingOfUsage, costOfUsage } from './cost-of-usage.js';
import { lookupModel } from './lookup-model.js';

describe('cost of usage', () => {
  it('prices each disjoint bucket at its own rate', () => {
    const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
    const cost = costOfUsage({ inputTokens: 1000, cacheReadTokens: 2000, cacheWriteTokens: 4000, outputTokens: 500, reasoningTokens: 100 }, price);
    expect(cost).toBeCloseTo((1000 * 3 + 2000 * 0.3 + 4000 * 3.75 + 600 * 15) / 1e6, 10);
  });

  it('falls back to the input price for cache buckets without their own', () => {
    expect(costOfUsage({ cacheReadTokens: 1_000_000 }, { input: 2, output: 8 })).toBe(2);
  });

  it('is undefined when nothing was reported', () => {
    expect(costOfUsage({}, { input: 1, output: 1 })).toBeUndefined();
  });

  it('knows list prices for catalogued models', () => {
    expect(lookupModel('openai-chat', 'gpt-4o-mini-2024-07-18')?.price).toEqual({ input: 0.15, output: 0.6, cacheRead: 0.075 });
    expect(lookupModel('anthropic-messages', 'claude-sonnet-4-5-20250929')?.price?.cacheWrite).toBe(3.75);
  });
});

describe('cache saving', () => {
  it('is the cost with every prompt token billed as input minus the cost as billed', () => {
    const price = { input: 3, output: 15, cacheRead: 0.3, cacheWrite: 3.75 };
    // 10,000 cached tokens at $3 instead of $0.30 per million: $0.027 saved.
    expect(cacheSavingOfUsage({ inputTokens: 100, cacheReadTokens: 10_000, outputTokens: 50 }, price)).toBeCloseTo(0.027, 10);
    expect(cacheSavingOfUsage({ inputTokens: 100, outputTokens: 50 }, price)).toBeUndefined();
  });
});
