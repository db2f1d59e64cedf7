import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/index.js';
import { rankByCost } from './cost-strategy.js';
import { pricedTarget, statisticsFor } from './strategy-test-targets.js';

const estimate = { inputTokens: 1000, outputTokens: 500, reasoning: false };
const input = (targets: ReturnType<typeof pricedTarget>[], stats = statisticsFor({})) => ({ targets, statistics: stats, random: seededRandom(1), stream: false });

describe('cost strategy', () => {
  it('puts the cheapest target for the estimated input and output first', () => {
    const dear = pricedTarget('dear', { input: 5, output: 15 });
    const cheap = pricedTarget('cheap', { input: 0.15, output: 0.6 });
    const ranked = rankByCost(input([dear, cheap]), estimate);
    expect(ranked.map((r) => r.target.provider.id)).toEqual(['cheap', 'dear']);
    // 1000 × 0.15 + 500 × 0.6 per million = $0.00045
    expect(ranked[0]?.reason).toBe('cost: cheapest, ~$0.000450 (est. 1000 in + 500 out)');
  });

  it('weighs output by the expected output: a cheap-input, dear-output model loses on long answers', () => {
    const inputCheap = pricedTarget('a', { input: 0.1, output: 10 });
    const balanced = pricedTarget('b', { input: 1, output: 2 });
    expect(rankByCost(input([inputCheap, balanced]), { ...estimate, outputTokens: 10 })[0]?.target.provider.id).toBe('a');
    expect(rankByCost(input([inputCheap, balanced]), { ...estimate, outputTokens: 5000 })[0]?.target.provider.id).toBe('b');
  });

  it('breaks a price tie by the lower recent latency and says so', () => {
    const slow = pricedTarget('slow', { input: 1, output: 1 });
    const fast = pricedTarget('fast', { input: 1, output: 1 });
    const ranked = rankByCost(input([slow, fast], statisticsFor({ slow: { totalMs: 900 }, fast: { totalMs: 200 } })), estimate);
    expect(ranked.map((r) => r.target.provider.id)).toEqual(['fast', 'slow']);
    expect(ranked[0]?.reason).toContain('tie broken by latency (total 200 ms)');
  });

  it('keeps targets without a price, and those lacking requested reasoning, as fallbacks after the priced ones', () => {
    const unknown = pricedTarget('unknown', undefined);
    const noThinking = pricedTarget('plain', { input: 0.01, output: 0.01 }, false);
    const priced = pricedTarget('priced', { input: 3, output: 3 });
    const ranked = rankByCost(input([unknown, noThinking, priced]), { ...estimate, reasoning: true });
    expect(ranked.map((r) => [r.target.provider.id, r.reason.split(',')[0]])).toEqual([
      ['priced', 'cost: cheapest'],
      ['unknown', 'cost: price unknown'],
      ['plain', 'cost: no reasoning support'],
    ]);
  });
});
