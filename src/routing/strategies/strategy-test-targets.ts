import type { ModelInfo, ModelPrice, Target } from '../../core/index.js';
import type { DeploymentStatistics } from '../../ports/routing-statistics.js';

/** A target with the given catalogue price (USD per million tokens), for strategy tests. */
export function pricedTarget(id: string, price: ModelPrice | undefined, reasoning = true): Target {
  const info: ModelInfo = {
    contextWindow: 128_000,
    maxOutputTokens: 4096,
    capabilities: { tools: true, vision: true, jsonSchema: true, reasoning },
    ...(price ? { price } : {}),
  };
  return { provider: { id, type: 'openai', baseUrl: 'https://example.test', headers: {}, options: {} }, model: 'm', info };
}

/** Statistics keyed by `<id>/m`, as `pricedTarget` deployments are named. */
export function statisticsFor(entries: Record<string, Partial<DeploymentStatistics>>): Map<string, DeploymentStatistics> {
  return new Map(Object.entries(entries).map(([id, stats]) => [`${id}/m`, { samples: 1, inFlight: 0, ...stats }]));
}
