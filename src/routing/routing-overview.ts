import type { ModelPrice } from '../core/index.js';
import { DEFAULT_BANDIT, type ModelRoute, type RouteTarget } from '../config/gateway-config.js';
import type { BanditArms } from '../ports/bandit-statistics.js';
import type { AliasOverview, BanditOverview, RoutingHistorySample, TargetOverview } from '../ports/routing-overview.js';
import type { StatisticsSnapshot } from '../ports/routing-statistics.js';
import { armKey } from './bandit-evidence.js';
import { banditWeights } from './bandit-strategy.js';
import { NO_TASK_CLASS } from './order-targets.js';

/** An alias's routing state from memory alone: what the admin API shows before adding cache counts, feedback and history. */
export type AliasState = Omit<AliasOverview, 'cache' | 'feedback' | 'history'>;

/** Where the overview reads from; every read is local and synchronous. */
export interface OverviewSources {
  routes: Iterable<ModelRoute>;
  priceOf(providerId: string, model: string): ModelPrice | undefined;
  /** Every (alias, task class) the bandit has evidence for. */
  banditEvidence: ReadonlyArray<{ alias: string; taskClass: string; arms: BanditArms }>;
  statistics: StatisticsSnapshot;
  /** Now on the statistics' clock, for the age of each deployment's last sample. */
  now: number;
}

function targetOverview(target: RouteTarget, sources: OverviewSources): TargetOverview {
  const key = armKey(target);
  const price = sources.priceOf(target.providerId, target.model);
  const stats = sources.statistics.get(key);
  const overview: TargetOverview = { target: key, provider: target.providerId, model: target.model };
  if (target.weight !== undefined) overview.weight = target.weight;
  if (price) overview.price = price;
  if (stats) {
    const { ttftMs, totalMs, outputTokensPerSecond, samples, inFlight, observedAt } = stats;
    overview.statistics = {
      ...(ttftMs === undefined ? {} : { ttftMs }),
      ...(totalMs === undefined ? {} : { totalMs }),
      ...(outputTokensPerSecond === undefined ? {} : { outputTokensPerSecond }),
      samples,
      inFlight,
      ...(observedAt === undefined ? {} : { ageMs: Math.max(0, Math.round(sources.now - observedAt)) }),
    };
  }
  return overview;
}

/** Whether an alias runs the bandit for some requests: by its strategy or a task class's strategy. */
function usesBandit(route: ModelRoute): boolean {
  return route.strategy === 'bandit' || Object.values(route.tasks ?? {}).some((rule) => 'strategy' in rule && rule.strategy === 'bandit');
}

function banditOverview(route: ModelRoute, evidence: OverviewSources['banditEvidence']): BanditOverview | undefined {
  const learned = evidence.filter((entry) => entry.alias === route.name);
  if (!usesBandit(route) && learned.length === 0) return undefined;
  const settings = route.bandit ?? DEFAULT_BANDIT;
  // Before any feedback the priors are still worth showing: every target at the prior's quality.
  const classes = learned.length > 0 ? [...learned].sort((a, b) => a.taskClass.localeCompare(b.taskClass)) : [{ taskClass: NO_TASK_CLASS, arms: {} }];
  return {
    metric: settings.metric,
    frozen: settings.frozen,
    exploration: settings.exploration,
    halfLife: settings.halfLife,
    objectiveWeights: { ...settings.weights },
    classes: classes.map(({ taskClass, arms }) => ({ taskClass, weights: banditWeights(route.targets, arms, settings) })),
  };
}

/** Every configured alias with its strategy, targets (price, statistics), bandit weights and task routes, in config order. */
export function describeAliases(sources: OverviewSources): AliasState[] {
  return [...sources.routes].map((route) => {
    const bandit = banditOverview(route, sources.banditEvidence);
    return {
      alias: route.name,
      strategy: route.strategy,
      targets: route.targets.map((target) => targetOverview(target, sources)),
      ...(bandit ? { bandit } : {}),
      ...(route.tasks ? { tasks: route.tasks } : {}),
    };
  });
}

/** The point an alias adds to its history now: its bandit weights and its deployments' latency and load. */
export function historySampleOf(alias: AliasState, at: number): RoutingHistorySample {
  return {
    at,
    weights: (alias.bandit?.classes ?? []).flatMap(({ taskClass, weights }) =>
      weights.map(({ target, quality, objective, observations }) => ({ taskClass, target, quality, objective, observations })),
    ),
    deployments: alias.targets.map(({ target, statistics }) => ({
      target,
      ...(statistics?.ttftMs === undefined ? {} : { ttftMs: statistics.ttftMs }),
      ...(statistics?.totalMs === undefined ? {} : { totalMs: statistics.totalMs }),
      ...(statistics?.outputTokensPerSecond === undefined ? {} : { outputTokensPerSecond: statistics.outputTokensPerSecond }),
      inFlight: statistics?.inFlight ?? 0,
    })),
  };
}
