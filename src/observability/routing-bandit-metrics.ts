import type { Registry } from 'prom-client';
import { isTaskClass } from '../core/index.js';
import type { BanditOverview } from '../ports/routing-overview.js';
import { NO_TASK_CLASS } from '../routing/order-targets.js';
import { registerCallbackGauge, type GaugeSample } from './gauge-sources.js';

/** Where the bandit gauges read at scrape time: each configured alias's bandit, targets named by the config. */
export type BanditWeightsSource = () => ReadonlyArray<{ alias: string; bandit?: BanditOverview }>;

function samples(source: BanditWeightsSource, pick: 'quality' | 'objective' | 'observations'): GaugeSample[] {
  const out: GaugeSample[] = [];
  for (const { alias, bandit } of source()) {
    for (const { taskClass, weights } of bandit?.classes ?? []) {
      // Evidence may come from a shared store; only the closed set of classes becomes a label value.
      if (taskClass !== NO_TASK_CLASS && !isTaskClass(taskClass)) continue;
      for (const weight of weights) out.push({ labels: { alias, task_class: taskClass, target: weight.target }, value: weight[pick] });
    }
  }
  return out;
}

/**
 * Gauges of the bandit's learned weights per configured alias, task class and configured target (`provider/model`),
 * so a dashboard can watch traffic preferences move; label values come from the config and the closed task classes.
 */
export function registerRoutingBanditMetrics(registry: Registry, source: BanditWeightsSource): void {
  const labels = ['alias', 'task_class', 'target'];
  registerCallbackGauge(registry, 'routing_bandit_objective', 'The bandit objective at the posterior means (quality minus weighted cost and latency); highest is tried first.', labels, () => samples(source, 'objective'), 'average');
  registerCallbackGauge(registry, 'routing_bandit_quality', 'The bandit posterior mean quality from feedback (prior included).', labels, () => samples(source, 'quality'), 'average');
  registerCallbackGauge(registry, 'routing_bandit_observations', 'Decayed number of feedback observations behind each bandit weight.', labels, () => samples(source, 'observations'), 'average');
}
