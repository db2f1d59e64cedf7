import type { Random } from '../core/index.js';
import type { ModelRoute, RouteTarget } from '../config/gateway-config.js';

/**
 * Orders a route's targets by its strategy. `fallback`: config order. `weighted`: one target drawn by weight first,
 * the rest in config order as fallbacks. Statistics-driven strategies (cost, latency, least-busy) start from config
 * order here and are ranked once the targets that fit are known (`rankPlan`); bandit is not built yet.
 */
export function orderTargets(route: ModelRoute, random: Random): { ordered: RouteTarget[]; reason: string } {
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
