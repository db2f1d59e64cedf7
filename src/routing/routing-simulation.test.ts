import { describe, expect, it } from 'vitest';
import { DEFAULT_BANDIT } from '../config/gateway-config.js';
import { requestsUntilMovedOff, simulateRouting, standardScenario } from './routing-simulation.js';

const share = (chosen: readonly string[], from: number, to: number, target: string): number =>
  chosen.slice(from, to).filter((id) => id === target).length / (to - from);

describe('bandit routing simulation (seeded, counted in requests)', () => {
  const scenario = standardScenario(DEFAULT_BANDIT, { requests: 1200, drift: { at: 600, target: 'mid', quality: 0.5 }, seed: 7 });
  const bandit = simulateRouting(scenario, 'bandit');

  it('converges on the target with the best quality for its cost (mid) before the drop', () => {
    expect(share(bandit.chosen, 300, 600, 'mid')).toBeGreaterThan(0.85);
  });

  it('moves most traffic off the target whose quality dropped within 200 requests, to the next best (frontier)', () => {
    const movedAfter = requestsUntilMovedOff(bandit.chosen, 'mid', 600);
    expect(movedAfter).toBeDefined();
    expect(movedAfter).toBeLessThanOrEqual(200);
    expect(share(bandit.chosen, 900, 1200, 'frontier')).toBeGreaterThan(0.8);
  });

  it('keeps 95 % of always-best quality at a cost within 5 % of the oracle on the standard workload', () => {
    const standard = standardScenario(DEFAULT_BANDIT);
    const learned = simulateRouting(standard, 'bandit');
    const best = simulateRouting(standard, 'always-best');
    const oracle = simulateRouting(standard, 'oracle');
    expect(learned.meanQuality / best.meanQuality).toBeGreaterThanOrEqual(0.95);
    expect(learned.totalCostUsd / oracle.totalCostUsd).toBeLessThanOrEqual(1.05);
  });

  it('frozen: learns nothing and stays on its priors', () => {
    const frozen = simulateRouting({ ...scenario, bandit: { ...DEFAULT_BANDIT, frozen: true } }, 'bandit');
    expect(new Set(frozen.chosen).size).toBe(1);
  });
});

describe('cost and latency rows run the strategy code (rankByCost, rankByLatency) on simulated statistics', () => {
  it('latency: measures every target first, explores about its share, and stays on the fastest', () => {
    const outcome = simulateRouting(standardScenario(DEFAULT_BANDIT, { requests: 2000, drift: undefined, seed: 3 }), 'latency');
    expect(outcome.chosen.slice(0, 3).sort()).toEqual(['frontier', 'mid', 'small']);
    const others = 2000 - (outcome.picks.small ?? 0);
    // The default exploration share is 5 %: about 100 of 2000 requests go to a slower, staler target.
    expect(others).toBeGreaterThan(50);
    expect(others).toBeLessThan(160);
  });

  it('latency: moves off a deployment that got slow, as its moving average rises', () => {
    const scenario = standardScenario(DEFAULT_BANDIT, { requests: 1000, drift: { at: 500, target: 'small', latencyMs: 5000 }, seed: 5 });
    const outcome = simulateRouting(scenario, 'latency');
    const moved = requestsUntilMovedOff(outcome.chosen, 'small', 500);
    expect(moved).toBeDefined();
    expect(moved).toBeLessThanOrEqual(100);
    expect(share(outcome.chosen, 700, 1000, 'mid')).toBeGreaterThan(0.8);
  });

  it('cost: the cheapest by the catalogue price of the estimated tokens', () => {
    const outcome = simulateRouting(standardScenario(DEFAULT_BANDIT, { requests: 300 }), 'cost');
    expect(outcome.picks).toEqual({ frontier: 0, mid: 0, small: 300 });
    expect(outcome.totalCostUsd).toBeCloseTo(300 * 0.0002, 10);
  });
});
