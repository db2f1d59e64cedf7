import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../test/support/manual-clock.js';
import { MemoryRoutingStatistics } from './memory-routing-statistics.js';

describe('memory routing statistics', () => {
  it('folds streams into the TTFT average and whole answers into the total-time average', () => {
    const clock = manualClock(5000);
    const statistics = new MemoryRoutingStatistics(clock);
    statistics.observe({ deployment: 'a/m', stream: true, ttftMs: 100, totalMs: 1100, outputTokens: 50 });
    statistics.observe({ deployment: 'a/m', stream: true, ttftMs: 200, totalMs: 1200, outputTokens: 50 });
    statistics.observe({ deployment: 'a/m', stream: false, ttftMs: 800, totalMs: 800 });
    expect(statistics.snapshot().get('a/m')).toEqual({ samples: 3, inFlight: 0, ttftMs: 120, totalMs: 800, outputTokensPerSecond: 50, observedAt: 5000 });
  });

  it('counts attempts in flight until each ends, once', () => {
    const statistics = new MemoryRoutingStatistics(manualClock());
    const first = statistics.begin('a/m');
    const second = statistics.begin('a/m');
    expect(statistics.snapshot().get('a/m')?.inFlight).toBe(2);
    first();
    first();
    expect(statistics.snapshot().get('a/m')?.inFlight).toBe(1);
    second();
    expect(statistics.snapshot().get('a/m')?.inFlight).toBe(0);
  });

  it('never changes a snapshot entry already handed out', () => {
    const statistics = new MemoryRoutingStatistics(manualClock());
    statistics.begin('a/m');
    const before = statistics.snapshot().get('a/m');
    statistics.begin('a/m');
    expect(before?.inFlight).toBe(1);
  });

  it('keeps at most 10,000 deployments, forgetting the first added (updates keep their place)', () => {
    const statistics = new MemoryRoutingStatistics(manualClock());
    for (let index = 0; index < 10_000; index += 1) statistics.begin(`p/m${index}`)();
    statistics.observe({ deployment: 'p/m0', stream: false, ttftMs: 5, totalMs: 5 });
    statistics.begin('p/new');
    expect(statistics.snapshot().size).toBe(10_000);
    expect(statistics.snapshot().has('p/m0')).toBe(false);
    expect(statistics.snapshot().has('p/m1')).toBe(true);
    expect(statistics.snapshot().get('p/new')?.inFlight).toBe(1);
  });
});
