import type { CanonicalRequest, Random, Target } from '../core/index.js';
import type { StatisticsSnapshot } from '../ports/routing-statistics.js';
import type { RouteDecision, RoutePlan } from './resolve-route.js';
import { routeRandom } from './resolve-route.js';
import { rankByCost } from './strategies/cost-strategy.js';
import { DEFAULT_EXPLORATION, rankByLatency } from './strategies/latency-strategy.js';
import { rankByLeastBusy } from './strategies/least-busy-strategy.js';
import type { RankedTarget, StrategyInput } from './strategies/ranked-target.js';

/** Output tokens the `cost` strategy prices a request without max_tokens with, unless the route says otherwise. */
const DEFAULT_EXPECTED_OUTPUT_TOKENS = 256;

/** What ranking needs besides the plan: the local statistics, chance, and the local tokenizer for cost estimates. */
export interface RankContext {
  statistics: StatisticsSnapshot;
  random: Random;
  countPromptTokens(request: CanonicalRequest, target: Target): number;
}

/** Whether a route's strategy ranks by statistics or price (and so needs `rankPlan`). */
function ranksByStatistics(plan: RoutePlan): boolean {
  const { strategy } = plan.route;
  return strategy === 'cost' || strategy === 'latency' || strategy === 'least-busy';
}

function rankTargets(plan: RoutePlan, request: CanonicalRequest, input: StrategyInput, context: RankContext): RankedTarget[] {
  const { route } = plan;
  switch (route.strategy) {
    case 'cost': {
      const first = plan.targets[0] as Target;
      return rankByCost(input, {
        inputTokens: context.countPromptTokens(request, first),
        outputTokens: request.maxOutputTokens ?? route.expectedOutputTokens ?? DEFAULT_EXPECTED_OUTPUT_TOKENS,
        reasoning: request.reasoning !== undefined && request.reasoning.enabled !== false,
      });
    }
    case 'latency':
      return rankByLatency(input, route.exploration ?? DEFAULT_EXPLORATION);
    default:
      return rankByLeastBusy(input);
  }
}

/**
 * Orders a fitted plan by its route's statistics-driven strategy (cost, latency, least-busy) and rewrites the
 * decisions to say why each target is where it is; skipped targets stay on the record after the tried ones.
 * Other strategies' plans are returned as they are.
 */
export function rankPlan(plan: RoutePlan, request: CanonicalRequest, context: RankContext): RoutePlan {
  if (!ranksByStatistics(plan) || plan.targets.length === 0) return plan;
  const input: StrategyInput = {
    targets: plan.targets,
    statistics: context.statistics,
    random: routeRandom(plan.route, context.random),
    stream: request.stream,
  };
  const ranked = rankTargets(plan, request, input, context);
  // Filled by loops rather than map/filter/spread: this runs per request, and each of those made an array more.
  const targets: Target[] = [];
  const decisions: RouteDecision[] = [];
  for (const { target, reason } of ranked) {
    targets.push(target);
    decisions.push({ providerId: target.provider.id, model: target.model, action: 'try', reason });
  }
  for (const decision of plan.decisions) if (decision.action === 'skip') decisions.push(decision);
  return { ...plan, targets, decisions };
}
