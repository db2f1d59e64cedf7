/** What one replica has measured about one deployment (provider + upstream model), for latency-aware routing. */
export interface DeploymentStatistics {
  /** EWMA of time to first token of streamed answers, in ms. */
  ttftMs?: number;
  /** EWMA of the whole answer's time of non-streamed answers, in ms. */
  totalMs?: number;
  /** EWMA of generated tokens per second after the first token (streams) or over the whole answer. */
  outputTokensPerSecond?: number;
  /** Answers folded in so far. */
  samples: number;
  /** Upstream attempts running now. */
  inFlight: number;
  /** When the last answer was folded in, on the statistics' clock; absent before the first. */
  observedAt?: number;
}

/** Statistics by deployment key (`provider/model`, see `deploymentKey`); read synchronously, never over the network. */
export type StatisticsSnapshot = ReadonlyMap<string, DeploymentStatistics>;

/** One served answer's timing, as the request record tells it. */
export interface LatencyObservation {
  deployment: string;
  stream: boolean;
  /** The serving attempt's time to its first content event (ms). */
  ttftMs: number;
  /** The serving attempt's time to the answer's end (ms). */
  totalMs: number;
  outputTokens?: number;
}

/**
 * Routing statistics: each replica folds its own observations in memory and routing reads that local snapshot, so
 * the request path never waits on a network. A shared backend merges and publishes replicas' snapshots in the
 * background (DESIGN.md "Statistics").
 */
export interface RoutingStatistics {
  /** The current local statistics; cheap, synchronous, safe to call per request. */
  snapshot(): StatisticsSnapshot;
  /** Folds one served answer into its deployment's averages. */
  observe(observation: LatencyObservation): void;
  /** Counts an upstream attempt as in flight; the returned function ends it (idempotent). */
  begin(deployment: string): () => void;
  close(): Promise<void>;
}
