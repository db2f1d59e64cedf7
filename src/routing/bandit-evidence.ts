import type { ArmEvidence, BanditArms, BanditObservation } from '../ports/bandit-statistics.js';

export type { ArmEvidence, BanditArms, BanditObservation };

/** Reads the current evidence of one (alias, task class) without I/O; task class `*` when the request had none. */
export type BanditEvidenceReader = (alias: string, taskClass: string) => BanditArms;

export const EMPTY_EVIDENCE: ArmEvidence = { successes: 0, failures: 0, costCount: 0, costSum: 0, latencyCount: 0, latencySum: 0 };

/** The fields of ArmEvidence, in a fixed order. */
export const EVIDENCE_FIELDS = ['successes', 'failures', 'costCount', 'costSum', 'latencyCount', 'latencySum'] as const satisfies ReadonlyArray<keyof ArmEvidence>;

/** The key a target's evidence is kept under. */
export function armKey(target: { providerId: string; model: string }): string {
  return `${target.providerId}/${target.model}`;
}

/**
 * One observation as arithmetic on a target's evidence: every field becomes `field × factor + add[field]`. Kept in
 * this form so a shared backend can apply it atomically where the evidence lives (a Redis script) instead of
 * reading, changing and writing it back.
 */
export interface EvidenceUpdate {
  factor: number;
  add: ArmEvidence;
}

/**
 * The update one observation makes: the observed target's earlier evidence decays by 2^(−1/halfLife), so it is worth
 * half after `halfLife` later observations of that target, then the new observation is added.
 */
export function evidenceUpdate(observation: BanditObservation, halfLife: number): EvidenceUpdate {
  const score = Math.min(1, Math.max(0, observation.score));
  const withCost = observation.costUsd !== undefined && Number.isFinite(observation.costUsd);
  const withLatency = observation.latencyMs !== undefined && Number.isFinite(observation.latencyMs);
  return {
    factor: Math.pow(2, -1 / halfLife),
    add: {
      successes: score,
      failures: 1 - score,
      costCount: withCost ? 1 : 0,
      costSum: withCost ? (observation.costUsd as number) : 0,
      latencyCount: withLatency ? 1 : 0,
      latencySum: withLatency ? (observation.latencyMs as number) : 0,
    },
  };
}

/** A target's evidence after an update. */
export function applyEvidenceUpdate(evidence: ArmEvidence | undefined, update: EvidenceUpdate): ArmEvidence {
  const current = evidence ?? EMPTY_EVIDENCE;
  const next = { ...EMPTY_EVIDENCE };
  for (const field of EVIDENCE_FIELDS) next[field] = current[field] * update.factor + update.add[field];
  return next;
}

/**
 * The evidence after one observation on target `arm` (see `evidenceUpdate`). Other targets' evidence stays: they are
 * measured only by exploration, and fading it would pull them back towards the prior.
 */
export function observe(arms: BanditArms, arm: string, observation: BanditObservation, halfLife: number): Record<string, ArmEvidence> {
  return { ...arms, [arm]: applyEvidenceUpdate(arms[arm], evidenceUpdate(observation, halfLife)) };
}
