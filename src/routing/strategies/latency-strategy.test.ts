import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/index.js';
import { rankByLatency } from './latency-strategy.js';
import { pricedTarget, statisticsFor } from './strategy-test-targets.js';

const a = pricedTarget('a', undefined);
const b = pricedTarget('b', undefined);
const c = pricedTarget('c', undefined);

describe('latency strategy', () => {
  it('ranks streams by TTFT and whole answers by total time', () => {
    const statistics = statisticsFor({ a: { ttftMs: 100, totalMs: 3000 }, b: { ttftMs: 400, totalMs: 1000 } });
    const never = { next: () => 0.99 };
    expect(rankByLatency({ targets: [a, b], statistics, random: never, stream: true }, 0.05).map((r) => r.target.provider.id)).toEqual(['a', 'b']);
    expect(rankByLatency({ targets: [a, b], statistics, random: never, stream: false }, 0.05).map((r) => r.target.provider.id)).toEqual(['b', 'a']);
  });

  it('tries a deployment without samples first so it gets measured', () => {
    const statistics = statisticsFor({ a: { totalMs: 50 } });
    const ranked = rankByLatency({ targets: [a, b], statistics, random: seededRandom(1), stream: false }, 0);
    expect(ranked.map((r) => [r.target.provider.id, r.reason])).toEqual([
      ['b', 'latency: no latency samples yet'],
      ['a', 'latency: total 50 ms'],
    ]);
  });

  it('breaks equal latency by the higher token rate', () => {
    const statistics = statisticsFor({ a: { totalMs: 100, outputTokensPerSecond: 20 }, b: { totalMs: 100, outputTokensPerSecond: 80 } });
    expect(rankByLatency({ targets: [a, b], statistics, random: seededRandom(1), stream: false }, 0)[0]?.target.provider.id).toBe('b');
  });

  it('sends about the exploration share first to the stalest slower deployment', () => {
    const statistics = statisticsFor({ a: { totalMs: 100, observedAt: 900 }, b: { totalMs: 300, observedAt: 100 }, c: { totalMs: 200, observedAt: 800 } });
    const random = seededRandom(7);
    const firsts = new Map<string, number>();
    for (let i = 0; i < 2000; i++) {
      const first = rankByLatency({ targets: [a, b, c], statistics, random, stream: false }, 0.1)[0]!;
      firsts.set(first.target.provider.id, (firsts.get(first.target.provider.id) ?? 0) + 1);
      if (first.target.provider.id === 'b') expect(first.reason).toContain('exploring (share 0.1)');
    }
    expect(firsts.get('c')).toBeUndefined();
    expect((firsts.get('b') ?? 0) / 2000).toBeCloseTo(0.1, 1);
  });
});
