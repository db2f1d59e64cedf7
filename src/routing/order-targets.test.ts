import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/index.js';
import { DEFAULT_BREAKER, DEFAULT_RETRY, DEFAULT_TIMEOUTS, type ModelRoute } from '../config/gateway-config.js';
import { orderTargets } from './order-targets.js';

const route = (strategy: ModelRoute['strategy'], weights: number[]): ModelRoute => ({
  name: 'm',
  strategy,
  targets: weights.map((weight, i) => ({ providerId: `p${i}`, model: 'x', weight })),
  retry: DEFAULT_RETRY,
  timeouts: DEFAULT_TIMEOUTS,
  breaker: DEFAULT_BREAKER,
  resumeOnStall: false,
});

describe('target ordering', () => {
  it('keeps config order for fallback', () => {
    expect(orderTargets(route('fallback', [1, 9, 1]), seededRandom(1)).ordered.map((t) => t.providerId)).toEqual(['p0', 'p1', 'p2']);
  });

  it('draws the first target by weight and keeps the rest as fallbacks in config order', () => {
    const random = seededRandom(42);
    const counts = new Map<string, number>();
    for (let i = 0; i < 4000; i++) {
      const { ordered } = orderTargets(route('weighted', [1, 3, 0]), random);
      counts.set(ordered[0]!.providerId, (counts.get(ordered[0]!.providerId) ?? 0) + 1);
      expect(ordered).toHaveLength(3);
    }
    expect(counts.get('p2')).toBeUndefined();
    expect((counts.get('p1') ?? 0) / 4000).toBeCloseTo(0.75, 1);
  });

  it('is deterministic for a seed', () => {
    const a = Array.from({ length: 20 }, (() => { const r = seededRandom(9); return () => orderTargets(route('weighted', [1, 1, 1]), r).ordered[0]!.providerId; })());
    const b = Array.from({ length: 20 }, (() => { const r = seededRandom(9); return () => orderTargets(route('weighted', [1, 1, 1]), r).ordered[0]!.providerId; })());
    expect(a).toEqual(b);
  });
});
