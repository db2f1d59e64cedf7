import type { Random } from '../core/index.js';
import type { BanditSettings, RouteTarget } from '../config/gateway-config.js';
import { EMPTY_EVIDENCE, armKey, type BanditArms } from './bandit-evidence.js';
import { sampleBeta } from './sample-beta.js';
import type { BanditWeightView as BanditWeight } from '../ports/routing-overview.js';

interface ArmView {
  target: RouteTarget;
  alpha: number;
  beta: number;
  cost: number;
  latency: number;
  weight: BanditWeight;
}

const round = (value: number): number => Math.round(value * 10_000) / 10_000;

/** Cost and latency are scaled by the largest mean among the targets, so the weights compare like with like. */
function armViews(targets: readonly RouteTarget[], arms: BanditArms, settings: BanditSettings): ArmView[] {
  const means = targets.map((target) => {
    const evidence = arms[armKey(target)] ?? EMPTY_EVIDENCE;
    return {
      target,
      evidence,
      cost: evidence.costCount > 0 ? evidence.costSum / evidence.costCount : undefined,
      latency: evidence.latencyCount > 0 ? evidence.latencySum / evidence.latencyCount : undefined,
    };
  });
  const maxCost = Math.max(0, ...means.map((m) => m.cost ?? 0));
  const maxLatency = Math.max(0, ...means.map((m) => m.latency ?? 0));
  const { weights, prior } = settings;
  return means.map(({ target, evidence, cost, latency }) => {
    const alpha = prior.alpha + evidence.successes;
    const beta = prior.beta + evidence.failures;
    // A target never measured counts as free and instant: optimism that gets it tried.
    const scaledCost = cost !== undefined && maxCost > 0 ? cost / maxCost : 0;
    const scaledLatency = latency !== undefined && maxLatency > 0 ? latency / maxLatency : 0;
    const quality = alpha / (alpha + beta);
    const weight: BanditWeight = {
      target: armKey(target),
      quality: round(quality),
      observations: round(evidence.successes + evidence.failures),
      objective: round(weights.quality * quality - weights.cost * scaledCost - weights.latency * scaledLatency),
      ...(cost === undefined ? {} : { meanCostUsd: cost }),
      ...(latency === undefined ? {} : { meanLatencyMs: round(latency) }),
    };
    return { target, alpha, beta, cost: scaledCost, latency: scaledLatency, weight };
  });
}

/** Each target's learned standing for one (alias, task class), best first. */
export function banditWeights(targets: readonly RouteTarget[], arms: BanditArms, settings: BanditSettings): BanditWeight[] {
  return armViews(targets, arms, settings)
    .map((view) => view.weight)
    .sort((a, b) => b.objective - a.objective);
}

/**
 * Thompson sampling: draws each target's quality from its Beta posterior, scores the objective, and tries targets
 * best first. With probability `exploration` a uniformly drawn target goes first instead, so none is starved of
 * feedback. Frozen: orders by the posterior means, without sampling or exploration.
 */
export function orderByBandit(
  targets: readonly RouteTarget[],
  arms: BanditArms,
  settings: BanditSettings,
  random: Random,
): { ordered: RouteTarget[]; reason: string } {
  const views = armViews(targets, arms, settings);
  const { weights } = settings;
  const scored = views.map((view) => {
    const quality = settings.frozen ? view.alpha / (view.alpha + view.beta) : sampleBeta(view.alpha, view.beta, random);
    return { view, score: weights.quality * quality - weights.cost * view.cost - weights.latency * view.latency };
  });
  scored.sort((a, b) => b.score - a.score);
  const ordered = scored.map((entry) => entry.view.target);
  if (!settings.frozen && targets.length > 1 && random.next() < settings.exploration) {
    const pick = Math.min(ordered.length - 1, Math.floor(random.next() * ordered.length));
    const [explored] = ordered.splice(pick, 1);
    if (explored) ordered.unshift(explored);
    return { ordered, reason: `bandit: exploration pick (share ${settings.exploration})` };
  }
  const best = scored[0];
  const mode = settings.frozen ? 'bandit (frozen): best mean objective' : 'bandit: best sampled objective';
  return { ordered, reason: best ? `${mode} ${best.score.toFixed(3)} (mean quality ${best.view.weight.quality}, ${best.view.weight.observations} obs)` : mode };
}
