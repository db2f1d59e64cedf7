import { describe, expect, it } from 'vitest';
import { seededRandom } from '../core/index.js';
import { DEFAULT_BANDIT, type BanditSettings, type RouteTarget } from '../config/gateway-config.js';
import { observe, type BanditArms } from './bandit-evidence.js';
import { banditWeights, orderByBandit } from './bandit-strategy.js';

const targets: RouteTarget[] = [
  { providerId: 'big', model: 'm' },
  { providerId: 'mid', model: 'm' },
];

/** Evidence from `n` observations per target at a fixed score, cost and latency. */
function evidence(n: number, arms: Record<string, { score: number; costUsd: number; latencyMs: number }>, halfLife = 1000): BanditArms {
  let state: BanditArms = {};
  for (let i = 0; i < n; i++) for (const [arm, observation] of Object.entries(arms)) state = observe(state, arm, observation, halfLife);
  return state;
}

const firstPicks = (arms: BanditArms, settings: BanditSettings, runs = 400): Record<string, number> => {
  const random = seededRandom(7);
  const counts: Record<string, number> = {};
  for (let i = 0; i < runs; i++) {
    const first = orderByBandit(targets, arms, settings, random).ordered[0]!.providerId;
    counts[first] = (counts[first] ?? 0) + 1;
  }
  return counts;
};

describe('orderByBandit', () => {
  it('prefers the target with the better objective once evidence says so, keeping the exploration floor', () => {
    // big is slightly better but five times the price: with cost weighted, mid wins.
    const arms = evidence(200, { 'big/m': { score: 0.92, costUsd: 0.005, latencyMs: 2000 }, 'mid/m': { score: 0.88, costUsd: 0.001, latencyMs: 800 } });
    const picks = firstPicks(arms, { ...DEFAULT_BANDIT, exploration: 0.1 });
    expect(picks['mid']).toBeGreaterThan(340);
    expect(picks['big']).toBeGreaterThan(5);
  });

  it('samples both targets while it knows nothing (priors only)', () => {
    const picks = firstPicks({}, { ...DEFAULT_BANDIT, exploration: 0 });
    expect(picks['big']).toBeGreaterThan(120);
    expect(picks['mid']).toBeGreaterThan(120);
  });

  it('frozen: always the best mean, no sampling, no exploration, and says so', () => {
    const arms = evidence(20, { 'big/m': { score: 0.2, costUsd: 0.001, latencyMs: 100 }, 'mid/m': { score: 0.9, costUsd: 0.001, latencyMs: 100 } });
    expect(firstPicks(arms, { ...DEFAULT_BANDIT, frozen: true, exploration: 0.5 })).toEqual({ mid: 400 });
    expect(orderByBandit(targets, arms, { ...DEFAULT_BANDIT, frozen: true }, seededRandom(1)).reason).toMatch(/^bandit \(frozen\)/);
  });

  it('lets old evidence fade: after a half-life of new observations of a target its old ones weigh half', () => {
    const old = evidence(100, { 'big/m': { score: 1, costUsd: 0, latencyMs: 1 } }, 50);
    const faded = [...Array(50).keys()].reduce<BanditArms>((state) => observe(state, 'big/m', { score: 0 }, 50), old);
    expect(faded['big/m']!.successes).toBeCloseTo(old['big/m']!.successes / 2, 6);
    expect(observe(old, 'mid/m', { score: 1 }, 50)['big/m']).toEqual(old['big/m']);
  });
});

describe('banditWeights', () => {
  it('reports posterior mean quality, observations, mean cost and latency and the objective, best first', () => {
    const arms = evidence(10, { 'big/m': { score: 1, costUsd: 0.01, latencyMs: 1000 }, 'mid/m': { score: 0, costUsd: 0.001, latencyMs: 500 } });
    const [best, worst] = banditWeights(targets, arms, DEFAULT_BANDIT);
    expect(best).toMatchObject({ target: 'big/m', meanLatencyMs: 1000 });
    expect(best?.quality).toBeCloseTo(11 / 12, 2);
    expect(best?.meanCostUsd).toBeCloseTo(0.01, 6);
    expect(best?.observations).toBeCloseTo(10, 0);
    expect(worst?.target).toBe('mid/m');
  });
});
