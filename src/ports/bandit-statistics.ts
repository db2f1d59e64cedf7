/** What the bandit knows about one target for one (alias, task class): decayed sums, so old evidence fades. */
export interface ArmEvidence {
  /** Sum of feedback scores (a score s counts s toward success and 1 − s toward failure). */
  successes: number;
  failures: number;
  /** Decayed count of observations with a cost, and their decayed cost sum (USD). */
  costCount: number;
  costSum: number;
  /** Decayed count of observations with a latency, and their decayed latency sum (ms). */
  latencyCount: number;
  latencySum: number;
}

/** Evidence per target, keyed `provider/model`. */
export type BanditArms = Readonly<Record<string, ArmEvidence>>;

/** One feedback event on one target. */
export interface BanditObservation {
  score: number;
  costUsd?: number;
  latencyMs?: number;
}

/**
 * The bandit's learned evidence per (alias, task class). Reads are synchronous from a local snapshot (no network on the
 * request path); a shared backend refreshes that snapshot in the background.
 */
export interface BanditStatistics {
  /** The current evidence of one (alias, task class); empty when nothing was learned. */
  read(alias: string, taskClass: string): BanditArms;
  /** Adds one observation on target `arm`, decaying older evidence of the same (alias, task class) by its half-life. */
  observe(alias: string, taskClass: string, arm: string, observation: BanditObservation, halfLife: number): Promise<void>;
  /** Every (alias, task class) with evidence, for the admin API and metrics. */
  all(): Array<{ alias: string; taskClass: string; arms: BanditArms }>;
}
