import type { ModelPrice, TaskClass } from '../core/index.js';

/** Cache lookups counted since this process started; `hitRate` is null before the first lookup. */
export interface CacheHitRate {
  hits: number;
  misses: number;
  hitRate: number | null;
}

/** One configured target of an alias, with what routing knows about it now. */
export interface TargetOverview {
  /** `provider/model`, both from the config. */
  target: string;
  provider: string;
  model: string;
  /** The config weight, for strategy `weighted`. */
  weight?: number;
  /** Catalogue price in USD per million tokens, when known. */
  price?: ModelPrice;
  /** This process's latency and load statistics; absent before the deployment's first sample. */
  statistics?: {
    ttftMs?: number;
    totalMs?: number;
    outputTokensPerSecond?: number;
    samples: number;
    inFlight: number;
    /** Milliseconds since the last folded sample. */
    ageMs?: number;
  };
}

/** A target's learned standing under the bandit for one task class. */
export interface BanditWeightView {
  target: string;
  /** Posterior mean quality (prior included). */
  quality: number;
  /** Decayed number of feedback observations. */
  observations: number;
  /** The objective at the posterior means; the bandit tries the best first. */
  objective: number;
  meanCostUsd?: number;
  meanLatencyMs?: number;
}

/** The bandit's settings and weights of one alias. */
export interface BanditOverview {
  metric: string;
  frozen: boolean;
  exploration: number;
  halfLife: number;
  objectiveWeights: { quality: number; cost: number; latency: number };
  /** One entry per task class with evidence (`*`: requests without one), weights best first. */
  classes: Array<{ taskClass: string; weights: BanditWeightView[] }>;
}

/** One point of an alias's history: its bandit weights and its deployments' statistics at that time. */
export interface RoutingHistorySample {
  /** Wall clock, epoch ms. */
  at: number;
  weights: Array<{ taskClass: string; target: string; quality: number; objective: number; observations: number }>;
  deployments: Array<{ target: string; ttftMs?: number; totalMs?: number; outputTokensPerSecond?: number; inFlight: number }>;
}

/** Feedback on an alias's requests, per serving target, task class and metric. */
export interface FeedbackOverview {
  target: string;
  taskClass: string;
  metric: string;
  count: number;
  meanScore: number;
}

/** One alias as `GET /admin/routing` shows it. */
export interface AliasOverview {
  alias: string;
  strategy: string;
  targets: TargetOverview[];
  bandit?: BanditOverview;
  tasks?: Partial<Record<TaskClass, { model: string } | { strategy: string }>>;
  cache: CacheHitRate;
  feedback: FeedbackOverview[];
  history: RoutingHistorySample[];
}

/** What `GET /admin/routing` answers. */
export interface RoutingOverview {
  /** Wall clock of the answer, epoch ms. */
  at: number;
  window: { from: number; to: number };
  historyIntervalMs: number;
  historyCapacity: number;
  cache: CacheHitRate;
  aliases: AliasOverview[];
}
