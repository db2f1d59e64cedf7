import type { ArmEvidence, BanditArms, BanditObservation } from '../ports/bandit-statistics.js';

export type { ArmEvidence, BanditArms, BanditObservation };

/** Reads the current evidence of one (alias, task class) without I/O; task class `*` when the request had none. */
export type BanditEvidenceReader = (alias: string, taskClass: string) => BanditArms;

export const EMPTY_EVIDENCE: ArmEvidence = { successes: 0, failures: 0, costCount: 0, costSum: 0, latencyCount: 0, latencySum: 0 };

/** The key a target's evidence is kept under. */
export function armKey(target: { providerId: string; model: string }): string {
  return `${target.providerId}/${target.model}`;
}

function scaled(evidence: ArmEvidence, factor: number): ArmEvidence {
  return {
    successes: evidence.successes * factor,
    failures: evidence.failures * factor,
    costCount: evidence.costCount * factor,
    costSum: evidence.costSum * factor,
    latencyCount: evidence.latencyCount * factor,
    latencySum: evidence.latencySum * factor,
  };
}

/**
 * The evidence after one observation: the observed target's earlier evidence first decays by 2^(−1/halfLife), so it
 * is worth half after `halfLife` later observations of that target, then the new observation is added. Other targets'
 * evidence stays: they are measured only by exploration, and fading it would pull them back towards the prior.
 */
export function observe(arms: BanditArms, arm: string, observation: BanditObservation, halfLife: number): Record<string, ArmEvidence> {
  const current = scaled(arms[arm] ?? EMPTY_EVIDENCE, Math.pow(2, -1 / halfLife));
  const score = Math.min(1, Math.max(0, observation.score));
  const withCost = observation.costUsd !== undefined && Number.isFinite(observation.costUsd);
  const withLatency = observation.latencyMs !== undefined && Number.isFinite(observation.latencyMs);
  return {
    ...arms,
    [arm]: {
      successes: current.successes + score,
      failures: current.failures + (1 - score),
      costCount: current.costCount + (withCost ? 1 : 0),
      costSum: current.costSum + (withCost ? (observation.costUsd as number) : 0),
      latencyCount: current.latencyCount + (withLatency ? 1 : 0),
      latencySum: current.latencySum + (withLatency ? (observation.latencyMs as number) : 0),
    },
  };
}
