import type { DeploymentStatistics } from '../ports/routing-statistics.js';

/** Each replica's averages weigh by their samples, up to about the EWMA's memory (older samples no longer count). */
const MAX_WEIGHT = 10;

function weightedMean(parts: ReadonlyArray<DeploymentStatistics>, field: 'ttftMs' | 'totalMs' | 'outputTokensPerSecond'): number | undefined {
  let sum = 0;
  let weight = 0;
  for (const part of parts) {
    const value = part[field];
    if (value === undefined) continue;
    const w = Math.max(1, Math.min(part.samples, MAX_WEIGHT));
    sum += value * w;
    weight += w;
  }
  return weight === 0 ? undefined : sum / weight;
}

/**
 * One deployment's statistics over several replicas: averages weighted by each replica's recent samples, samples and
 * in-flight counts summed, the freshest observation time kept. Pure; `parts` are on one clock.
 */
export function mergeDeploymentStatistics(parts: ReadonlyArray<DeploymentStatistics>): DeploymentStatistics {
  const merged: DeploymentStatistics = {
    samples: parts.reduce((sum, part) => sum + part.samples, 0),
    inFlight: parts.reduce((sum, part) => sum + part.inFlight, 0),
  };
  for (const field of ['ttftMs', 'totalMs', 'outputTokensPerSecond'] as const) {
    const value = weightedMean(parts, field);
    if (value !== undefined) merged[field] = value;
  }
  const observed = parts.flatMap((part) => (part.observedAt === undefined ? [] : [part.observedAt]));
  if (observed.length > 0) merged.observedAt = Math.max(...observed);
  return merged;
}
