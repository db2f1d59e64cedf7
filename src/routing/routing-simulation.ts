import { seededRandom, type Random } from '../core/index.js';
import type { BanditSettings, RouteTarget } from '../config/gateway-config.js';
import { observe, type BanditArms } from './bandit-evidence.js';
import { orderByBandit } from './bandit-strategy.js';

/** A simulated deployment with known quality (chance of a good answer), price per request and latency. */
export interface SimulatedTarget {
  id: string;
  quality: number;
  costUsd: number;
  latencyMs: number;
}

/** One seeded workload: targets in config order, a quality drop part way, and how often users give feedback. */
export interface RoutingScenario {
  targets: SimulatedTarget[];
  requests: number;
  /** From request `at` on, target `target` answers well with chance `quality`. */
  drift?: { at: number; target: string; quality: number };
  /** Share of requests that get a thumbs-up/down (scripted: good with the target's quality as chance). */
  feedbackRate: number;
  seed: number;
  bandit: BanditSettings;
}

export type RoutingPolicy = 'fallback' | 'cheapest' | 'fastest' | 'always-best' | 'oracle' | 'bandit';

/** What a policy achieved over the workload. */
export interface RoutingOutcome {
  policy: RoutingPolicy;
  /** Mean true quality of the targets chosen. */
  meanQuality: number;
  totalCostUsd: number;
  meanLatencyMs: number;
  /** Sum over requests of the oracle's objective minus the chosen target's (true values, same weights). */
  regret: number;
  /** Requests served per target. */
  picks: Record<string, number>;
  /** The target chosen for each request, in order. */
  chosen: string[];
}

/** Each target's true quality at request `index`, drift applied. */
function qualityAt(scenario: RoutingScenario, target: SimulatedTarget, index: number): number {
  const { drift } = scenario;
  return drift && index >= drift.at && drift.target === target.id ? drift.quality : target.quality;
}

/** The objective the bandit optimises, at the true values (cost and latency scaled by the largest among targets). */
function trueObjective(scenario: RoutingScenario, target: SimulatedTarget, index: number): number {
  const maxCost = Math.max(...scenario.targets.map((t) => t.costUsd));
  const maxLatency = Math.max(...scenario.targets.map((t) => t.latencyMs));
  const { weights } = scenario.bandit;
  return weights.quality * qualityAt(scenario, target, index) - weights.cost * (target.costUsd / maxCost) - weights.latency * (target.latencyMs / maxLatency);
}

function argBest(targets: SimulatedTarget[], score: (target: SimulatedTarget) => number): SimulatedTarget {
  return targets.reduce((best, target) => (score(target) > score(best) ? target : best));
}

/** A policy's choice for one request; the bandit reads and updates its evidence through `state`. */
function choose(policy: RoutingPolicy, scenario: RoutingScenario, index: number, state: { arms: BanditArms; random: Random }): SimulatedTarget {
  const { targets } = scenario;
  switch (policy) {
    case 'fallback':
      return targets[0] as SimulatedTarget;
    case 'cheapest':
      return argBest(targets, (t) => -t.costUsd);
    case 'fastest':
      return argBest(targets, (t) => -t.latencyMs);
    case 'always-best':
      return argBest(targets, (t) => qualityAt(scenario, t, index));
    case 'oracle':
      return argBest(targets, (t) => trueObjective(scenario, t, index));
    case 'bandit': {
      const routeTargets: RouteTarget[] = targets.map((t) => ({ providerId: t.id, model: 'sim' }));
      const first = orderByBandit(routeTargets, state.arms, scenario.bandit, state.random).ordered[0];
      return targets.find((t) => t.id === first?.providerId) as SimulatedTarget;
    }
  }
}

/**
 * Runs one policy over the seeded workload: each request is routed, answered well with the chosen target's quality
 * as chance, and (at the feedback rate) scored back to the bandit with its cost and latency. Pure: the same scenario
 * gives the same outcome.
 */
export function simulateRouting(scenario: RoutingScenario, policy: RoutingPolicy): RoutingOutcome {
  const state = { arms: {} as BanditArms, random: seededRandom(scenario.seed) };
  const world = seededRandom(scenario.seed ^ 0x5eed);
  const picks: Record<string, number> = Object.fromEntries(scenario.targets.map((t) => [t.id, 0]));
  const chosen: string[] = [];
  let quality = 0;
  let cost = 0;
  let latency = 0;
  let regret = 0;
  for (let index = 0; index < scenario.requests; index++) {
    const target = choose(policy, scenario, index, state);
    const trueQuality = qualityAt(scenario, target, index);
    picks[target.id] = (picks[target.id] ?? 0) + 1;
    chosen.push(target.id);
    quality += trueQuality;
    cost += target.costUsd;
    latency += target.latencyMs;
    const oracle = argBest(scenario.targets, (t) => trueObjective(scenario, t, index));
    regret += trueObjective(scenario, oracle, index) - trueObjective(scenario, target, index);
    const good = world.next() < trueQuality;
    if (world.next() < scenario.feedbackRate && policy === 'bandit' && !scenario.bandit.frozen) {
      state.arms = observe(state.arms, `${target.id}/sim`, { score: good ? 1 : 0, costUsd: target.costUsd, latencyMs: target.latencyMs }, scenario.bandit.halfLife);
    }
  }
  const n = Math.max(1, scenario.requests);
  return { policy, meanQuality: quality / n, totalCostUsd: cost, meanLatencyMs: latency / n, regret, picks, chosen };
}

/**
 * Requests after `from` until a trailing window of `window` requests sends less than half its traffic to `target`;
 * undefined when that never happens.
 */
export function requestsUntilMovedOff(chosen: readonly string[], target: string, from: number, window = 50): number | undefined {
  for (let end = from + window; end <= chosen.length; end++) {
    const share = chosen.slice(end - window, end).filter((id) => id === target).length / window;
    if (share < 0.5) return end - from;
  }
  return undefined;
}

/** The seeded workload `npm run bench -- routing-sim` and the tests run: a frontier, a mid and a small model. */
export function standardScenario(bandit: BanditSettings, overrides: Partial<RoutingScenario> = {}): RoutingScenario {
  return {
    targets: [
      { id: 'frontier', quality: 0.92, costUsd: 0.0075, latencyMs: 2000 },
      { id: 'mid', quality: 0.89, costUsd: 0.0015, latencyMs: 900 },
      { id: 'small', quality: 0.5, costUsd: 0.0002, latencyMs: 400 },
    ],
    requests: 4000,
    drift: { at: 2000, target: 'mid', quality: 0.5 },
    feedbackRate: 1,
    seed: 42,
    bandit,
    ...overrides,
  };
}
