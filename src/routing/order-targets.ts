import type { Random, TaskClass } from '../core/index.js';
import { DEFAULT_BANDIT, type ModelRoute, type RouteTarget } from '../config/gateway-config.js';
import type { BanditEvidenceReader } from './bandit-evidence.js';
import { orderByBandit } from './bandit-strategy.js';

/** What a strategy may read besides the route: the request's task class and the statistics snapshots. */
export interface RoutingContext {
  taskClass?: TaskClass;
  /** The bandit's evidence; without it the bandit routes on its priors alone. */
  banditEvidence?: BanditEvidenceReader;
}

/** The bandit keys evidence by task class; requests without one share `*`. */
export const NO_TASK_CLASS = '*';

/**
 * Orders a route's targets by its strategy. `fallback`: config order. `weighted`: one target drawn by weight first,
 * the rest in config order as fallbacks. `bandit`: Thompson sampling over feedback per (alias, task class).
 * Statistics-driven strategies (cost, latency, least-busy) start from config order here and are ranked once the
 * targets that fit are known (`rankPlan`).
 */
export function orderTargets(route: ModelRoute, random: Random, context: RoutingContext = {}): { ordered: RouteTarget[]; reason: string } {
  if (route.strategy === 'bandit') {
    const arms = context.banditEvidence?.(route.name, context.taskClass ?? NO_TASK_CLASS) ?? {};
    return orderByBandit(route.targets, arms, route.bandit ?? DEFAULT_BANDIT, random);
  }
  if (route.strategy !== 'weighted' || route.targets.length < 2) {
    return { ordered: route.targets, reason: route.strategy === 'fallback' ? 'fallback order' : `${route.strategy}: config order` };
  }
  const weights = route.targets.map((t) => t.weight ?? 1);
  const total = weights.reduce((sum, w) => sum + w, 0);
  if (total <= 0) return { ordered: route.targets, reason: 'weighted: all weights 0, config order' };
  let pick = random.next() * total;
  let chosen = route.targets.length - 1;
  for (let i = 0; i < weights.length; i++) {
    pick -= weights[i] as number;
    if (pick < 0) {
      chosen = i;
      break;
    }
  }
  const first = route.targets[chosen] as RouteTarget;
  return { ordered: [first, ...route.targets.filter((_, i) => i !== chosen)], reason: `weighted pick (${first.weight ?? 1}/${total})` };
}
