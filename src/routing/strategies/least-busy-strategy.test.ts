import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../core/index.js';
import { rankByLeastBusy } from './least-busy-strategy.js';
import { pricedTarget, statisticsFor } from './strategy-test-targets.js';

const targets = ['a', 'b', 'c'].map((id) => pricedTarget(id, undefined));

describe('least-busy strategy', () => {
  it('puts the deployment with the fewest attempts in flight first', () => {
    const statistics = statisticsFor({ a: { inFlight: 3 }, b: { inFlight: 1 }, c: { inFlight: 2 } });
    const ranked = rankByLeastBusy({ targets, statistics, random: seededRandom(1), stream: false });
    expect(ranked.map((r) => [r.target.provider.id, r.reason])).toEqual([
      ['b', 'least-busy: 1 in flight'],
      ['c', 'least-busy: 2 in flight'],
      ['a', 'least-busy: 3 in flight'],
    ]);
  });

  it('spreads sequential traffic over idle deployments instead of always taking the first', () => {
    const random = seededRandom(3);
    const firsts = new Set<string>();
    for (let i = 0; i < 30; i++) firsts.add(rankByLeastBusy({ targets, statistics: new Map(), random, stream: true })[0]!.target.provider.id);
    expect([...firsts].sort()).toEqual(['a', 'b', 'c']);
  });
});
