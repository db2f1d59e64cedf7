import { describe, expect, it } from 'vitest';
import type { RoutingHistorySample } from '../ports/routing-overview.js';
import { RoutingHistory } from './routing-history.js';

const sample = (at: number): RoutingHistorySample => ({ at, weights: [], deployments: [] });

describe('routing history', () => {
  it('keeps the last `capacity` samples per alias, oldest first', () => {
    const history = new RoutingHistory(3);
    for (let at = 1; at <= 5; at++) history.record(new Map([['a', sample(at)]]));
    expect(history.of('a').map((s) => s.at)).toEqual([3, 4, 5]);
    history.record(new Map([['a', sample(6)]]));
    expect(history.of('a').map((s) => s.at)).toEqual([4, 5, 6]);
  });

  it('forgets an alias the config no longer has', () => {
    const history = new RoutingHistory(2);
    history.record(new Map([['old', sample(1)], ['kept', sample(1)]]));
    history.record(new Map([['kept', sample(2)]]));
    expect(history.of('old')).toEqual([]);
    expect(history.of('kept').map((s) => s.at)).toEqual([1, 2]);
  });
});
