import { seededRandom, type Clock, type Random, type Target } from '../core/index.js';
import type { BanditSettings, RouteTarget } from '../config/gateway-config.js';
import type { DeploymentStatistics } from '../ports/routing-statistics.js';
import { observe, type BanditArms } from './bandit-evidence.js';
import { orderByBandit } from './bandit-strategy.js';
import { deploymentKey } from './deployment-key.js';
import { foldLatency } from './fold-latency.js';
import { rankByCost, type RequestEstimate } from './strategies/cost-strategy.js';
import { rankByLatency } from './strategies/latency-strategy.js';
import type { StrategyInput } from './strategies/ranked-target.js';

/** A simulated deployment with known quality (chance of a good answer), price per request and latency. */
export interface SimulatedTarget {
  id: string;
  quality: number;
  costUsd: number;
  latencyMs: number;
}

/** One seeded workload: targets in config order, a drift part way, and how often users give feedback. */
export interface RoutingScenario {
  targets: SimulatedTarget[];
  requests: number;
  /** From request `at` on, target `target` answers well with chance `quality` and/or takes `latencyMs` on average. */
  drift?: { at: number; target: string; quality?: number; latencyMs?: number };
  /** Share of requests that get a thumbs-up/down (scripted: good with the target's quality as chance). */
  feedbackRate: number;
  seed: number;
  bandit: BanditSettings;
}

/** `cost` and `latency` run the gateway's strategy functions; `always-best` and `oracle` are the yardsticks. */
export type RoutingPolicy = 'fallback' | 'cost' | 'latency' | 'always-best' | 'oracle' | 'bandit';

/** The tokens every simulated request is priced with: a target's `costUsd` is this estimate at its price. */
const ESTIMATE: RequestEstimate = { inputTokens: 1000, outputTokens: 500, reasoning: false };

/** Simulated requests arrive this far apart on the virtual clock the latency statistics are stamped with. */
const ARRIVAL_INTERVAL_MS = 250;

/** A served request's latency varies uniformly by this share around its target's mean. */
const LATENCY_JITTER = 0.2;

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
  return drift?.quality !== undefined && index >= drift.at && drift.target === target.id ? drift.quality : target.quality;
}

/** Each target's mean latency at request `index`, drift applied. */
function latencyAt(scenario: RoutingScenario, target: SimulatedTarget, index: number): number {
  const { drift } = scenario;
  return drift?.latencyMs !== undefined && index >= drift.at && drift.target === target.id ? drift.latencyMs : target.latencyMs;
}

/**
 * A simulated target as routing sees a configured one: a deployment `<id>/sim` whose catalogue price makes the
 * request estimate cost `costUsd`.
 */
function gatewayTarget(target: SimulatedTarget): Target {
  const perMillion = (target.costUsd / (ESTIMATE.inputTokens + ESTIMATE.outputTokens)) * 1_000_000;
  return {
    provider: { id: target.id, type: 'simulated', baseUrl: 'simulated://', headers: {}, options: {} },
    model: 'sim',
    info: {
      contextWindow: 128_000,
      maxOutputTokens: 8192,
      capabilities: { tools: true, vision: true, jsonSchema: true, reasoning: true },
      price: { input: perMillion, output: perMillion },
    },
  };
}

/** The objective the bandit optimises, at the true values (cost and latency scaled by the largest among targets). */
function trueObjective(scenario: RoutingScenario, target: SimulatedTarget, index: number): number {
  const maxCost = Math.max(...scenario.targets.map((t) => t.costUsd));
  const maxLatency = Math.max(...scenario.targets.map((t) => latencyAt(scenario, t, index)));
  const { weights } = scenario.bandit;
  return (
    weights.quality * qualityAt(scenario, target, index) -
    weights.cost * (target.costUsd / maxCost) -
    weights.latency * (latencyAt(scenario, target, index) / maxLatency)
  );
}

function argBest(targets: SimulatedTarget[], score: (target: SimulatedTarget) => number): SimulatedTarget {
  return targets.reduce((best, target) => (score(target) > score(best) ? target : best));
}

/** What the policies that learn carry between requests: bandit evidence, latency statistics, the strategy's chance. */
interface PolicyState {
  arms: BanditArms;
  statistics: Map<string, DeploymentStatistics>;
  random: Random;
  clock: Clock;
  gatewayTargets: Target[];
}

/** The simulated target a strategy put first. */
function firstOf(scenario: RoutingScenario, ranked: ReadonlyArray<{ target: Target }>): SimulatedTarget {
  const id = ranked[0]?.target.provider.id;
  return scenario.targets.find((t) => t.id === id) as SimulatedTarget;
}

/** A policy's choice for one request; learning policies read their statistics through `state`. */
function choose(policy: RoutingPolicy, scenario: RoutingScenario, index: number, state: PolicyState): SimulatedTarget {
  const { targets } = scenario;
  const input: StrategyInput = { targets: state.gatewayTargets, statistics: state.statistics, random: state.random, stream: false };
  switch (policy) {
    case 'fallback':
      return targets[0] as SimulatedTarget;
    case 'cost':
      return firstOf(scenario, rankByCost(input, ESTIMATE));
    case 'latency':
      return firstOf(scenario, rankByLatency(input));
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
 * Runs one policy over the seeded workload on a virtual clock: each request is routed (cost, latency and bandit by
 * the gateway's own strategy functions), answered well with the chosen target's quality as chance and in a jittered
 * time around its mean latency, folded into that deployment's latency statistics, and (at the feedback rate) scored
 * back to the bandit with its cost and latency. Pure: the same scenario gives the same outcome.
 */
export function simulateRouting(scenario: RoutingScenario, policy: RoutingPolicy): RoutingOutcome {
  let now = 0;
  const state: PolicyState = {
    arms: {},
    statistics: new Map(),
    random: seededRandom(scenario.seed),
    clock: { now: () => now },
    gatewayTargets: scenario.targets.map(gatewayTarget),
  };
  const world = seededRandom(scenario.seed ^ 0x5eed);
  const jitter = seededRandom(scenario.seed ^ 0x1a7e);
  const picks: Record<string, number> = Object.fromEntries(scenario.targets.map((t) => [t.id, 0]));
  const chosen: string[] = [];
  let quality = 0;
  let cost = 0;
  let latency = 0;
  let regret = 0;
  for (let index = 0; index < scenario.requests; index++) {
    now = index * ARRIVAL_INTERVAL_MS;
    const target = choose(policy, scenario, index, state);
    const trueQuality = qualityAt(scenario, target, index);
    const servedMs = latencyAt(scenario, target, index) * (1 - LATENCY_JITTER + 2 * LATENCY_JITTER * jitter.next());
    picks[target.id] = (picks[target.id] ?? 0) + 1;
    chosen.push(target.id);
    quality += trueQuality;
    cost += target.costUsd;
    latency += servedMs;
    const oracle = argBest(scenario.targets, (t) => trueObjective(scenario, t, index));
    regret += trueObjective(scenario, oracle, index) - trueObjective(scenario, target, index);
    const deployment = deploymentKey({ provider: { id: target.id }, model: 'sim' });
    state.statistics.set(
      deployment,
      foldLatency(state.statistics.get(deployment), { deployment, stream: false, ttftMs: servedMs, totalMs: servedMs, outputTokens: ESTIMATE.outputTokens }, state.clock.now()),
    );
    const good = world.next() < trueQuality;
    if (world.next() < scenario.feedbackRate && policy === 'bandit' && !scenario.bandit.frozen) {
      state.arms = observe(state.arms, `${target.id}/sim`, { score: good ? 1 : 0, costUsd: target.costUsd, latencyMs: servedMs }, scenario.bandit.halfLife);
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
