/** Shapes of the admin API answers the dashboard reads (see README "The request log, metrics and traces"). */

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

export interface Tokens {
  input: number;
  cacheRead: number;
  cacheWrite: number;
  output: number;
  reasoning: number;
}

export interface AggregateRow {
  key: string;
  count: number;
  errorCount: number;
  errorRate: number;
  fallbackRate: number;
  latencyMs: Percentiles;
  ttftMs?: Percentiles;
  tokens: Tokens;
  costUsd?: number;
}

export interface SeriesBucket extends Omit<AggregateRow, 'key'> {
  from: number;
  to: number;
}

export interface Series {
  from: number;
  to: number;
  bucketMs: number;
  data: SeriesBucket[];
}

export interface Breaker {
  provider: string;
  model: string;
  state: 'closed' | 'open' | 'half-open';
  consecutiveFailures: number;
  openedAt?: number;
}

export interface DeploymentStatistics {
  provider: string;
  model: string;
  ttftMs?: number;
  totalMs?: number;
  outputTokensPerSecond?: number;
  samples: number;
  inFlight: number;
}

export interface Attempt {
  provider: string;
  model: string;
  status?: number;
  outcome: string;
  phase?: string;
  message?: string;
  latencyMs: number;
  startOffsetMs?: number;
  retryWaitMs?: number;
}

export interface TimelineEntry extends Attempt {
  index: number;
  startMs: number;
  endMs: number;
}

export interface RoutingDecision {
  providerId: string;
  model: string;
  action: 'try' | 'skip';
  reason: string;
}

export interface Usage {
  inputTokens?: number;
  cacheReadTokens?: number;
  cacheWriteTokens?: number;
  outputTokens?: number;
  reasoningTokens?: number;
}

export interface RequestRecord {
  id: string;
  startedAt: number;
  clientFormat: string;
  keyId?: string;
  requestedModel?: string;
  provider?: string;
  model?: string;
  stream: boolean;
  status: number;
  errorCode?: string;
  errorMessage?: string;
  attempts: Attempt[];
  ttftMs?: number;
  latencyMs: number;
  overheadMs?: number;
  usage?: Usage;
  finishReason?: { unified: string; raw?: string };
  costUsd?: number;
  warnings: Array<{ code?: string; message?: string } | string>;
  routing?: RoutingDecision[];
  metadata?: Record<string, string>;
  taskClass?: string;
  cache?: 'hit' | 'miss';
  /** Only in one request's detail, with `storage.store_bodies`, while body retention keeps them. */
  requestBody?: unknown;
  responseBody?: unknown;
  /** The bodies were stored but body retention has deleted them. */
  bodiesExpired?: true;
}

export interface ComparisonLeg {
  leg: number;
  model: string;
  request_id: string;
  provider?: string;
  served_model?: string;
  output?: string;
  finish_reason?: string;
  ttft_ms?: number;
  latency_ms: number;
  usage?: { input_tokens?: number; output_tokens?: number; reasoning_tokens?: number };
  cost_usd?: number;
  error?: { code: string; message: string };
}

export interface Comparison {
  id: string;
  created_at: number;
  models: string[];
  request: unknown;
  legs: ComparisonLeg[];
}

export interface VirtualKey {
  id: string;
  name: string;
  owner?: string;
  team?: string;
  prefix: string;
  models: string[];
  limits: { rpm?: number; tpm?: number };
  budget: { dailyUsd?: number; monthlyUsd?: number; totalUsd?: number };
  expiresAt?: number;
  tags: Record<string, string>;
  createdAt: number;
  updatedAt: number;
  revokedAt?: number;
}

export interface FeedbackSummaryRow {
  requestedModel: string;
  provider: string;
  model: string;
  taskClass: string;
  metric: string;
  count: number;
  meanScore: number;
}

export interface CacheHitRate {
  hits: number;
  misses: number;
  hitRate: number | null;
}

export interface TargetOverview {
  target: string;
  provider: string;
  model: string;
  weight?: number;
  price?: Record<string, number>;
  statistics?: { ttftMs?: number; totalMs?: number; outputTokensPerSecond?: number; samples: number; inFlight: number; ageMs?: number };
}

export interface BanditWeight {
  target: string;
  quality: number;
  observations: number;
  objective: number;
  meanCostUsd?: number;
  meanLatencyMs?: number;
}

export interface AliasOverview {
  alias: string;
  strategy: string;
  targets: TargetOverview[];
  bandit?: {
    metric: string;
    frozen: boolean;
    exploration: number;
    halfLife: number;
    objectiveWeights: { quality: number; cost: number; latency: number };
    classes: Array<{ taskClass: string; weights: BanditWeight[] }>;
  };
  tasks?: Record<string, { model: string } | { strategy: string }>;
  cache: CacheHitRate;
  feedback: Array<{ target: string; taskClass: string; metric: string; count: number; meanScore: number }>;
  history: Array<{
    at: number;
    weights: Array<{ taskClass: string; target: string; quality: number; objective: number; observations: number }>;
    deployments: Array<{ target: string; ttftMs?: number; totalMs?: number; outputTokensPerSecond?: number; inFlight: number }>;
  }>;
}

export interface RoutingOverview {
  at: number;
  window: { from: number; to: number };
  historyIntervalMs: number;
  cache: CacheHitRate;
  aliases: AliasOverview[];
}
