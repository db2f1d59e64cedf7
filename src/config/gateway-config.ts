import type { TaskClass, Timeouts } from '../core/index.js';
import type { InputLimits, ProviderSettings } from '../core/index.js';
import type { BudgetLimits, RateLimits } from '../ports/virtual-key.js';
import type { CatalogOverride } from './config-schema.js';

/** Retry policy per target (full-jitter exponential backoff). */
export interface RetryPolicy {
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

/** Circuit breaker per deployment (provider + model). */
export interface BreakerPolicy {
  /** Consecutive failures that open the breaker. */
  failureThreshold: number;
  /** Error rate over the window that opens it (once `minRequests` were seen). */
  errorRate: number;
  minRequests: number;
  windowMs: number;
  /** How long it stays open before one probe is let through. */
  cooldownMs: number;
}

export type RoutingStrategy = 'fallback' | 'weighted' | 'cost' | 'latency' | 'least-busy' | 'bandit';

export interface RouteTarget {
  providerId: string;
  model: string;
  weight?: number;
}

/** The `bandit` strategy's settings, defaults applied. */
export interface BanditSettings {
  metric: string;
  weights: { quality: number; cost: number; latency: number };
  prior: { alpha: number; beta: number };
  exploration: number;
  halfLife: number;
  frozen: boolean;
}

export const DEFAULT_BANDIT: BanditSettings = {
  metric: 'quality',
  weights: { quality: 1, cost: 0.2, latency: 0.05 },
  prior: { alpha: 1, beta: 1 },
  exploration: 0.02,
  halfLife: 50,
  frozen: false,
};

/** Where one task class of an alias goes. */
export type TaskRoute = { model: string } | { strategy: RoutingStrategy };

/** A model alias clients can name, with its targets and policies. */
export interface ModelRoute {
  name: string;
  strategy: RoutingStrategy;
  targets: RouteTarget[];
  retry: RetryPolicy;
  timeouts: Timeouts;
  breaker: BreakerPolicy;
  hedgeMs?: number;
  resumeOnStall: boolean;
  /** Unset or false: a max_tokens too large for a target is clamped to what fits, with a warning; true: left as sent. */
  strictMaxTokens?: boolean;
  /** Seed for the weighted strategy's choice, for reproducible routing (otherwise random). */
  seed?: number;
  /** `cost`: output tokens assumed when the request gives no max_tokens. */
  expectedOutputTokens?: number;
  /** `latency`: exploration share (0..1). */
  exploration?: number;
  /** Sticky sessions for prompt caches: how long a session stays pinned after its last request. */
  sticky?: { ttlMs: number };
  /** Per task class: another alias or another strategy for these targets. */
  tasks?: Partial<Record<TaskClass, TaskRoute>>;
  /** The bandit's settings; `DEFAULT_BANDIT` where absent. */
  bandit?: BanditSettings;
  /** Set when the alias serves repeated identical requests from the response cache. */
  cache?: { ttlMs: number };
  /** Rate limits for the alias across all keys. */
  limits?: RateLimits;
  /** Batch jobs on this alias may be delegated to a target provider's batch API. */
  batchDelegate?: boolean;
}

/** The batch lane's settings, defaults applied (see `batch:` in the README). */
export interface BatchSettings {
  concurrency: number;
  deploymentConcurrency: number;
  /** 0: no per-minute budget. */
  deploymentRpm: number;
  patienceMs: number;
  lineAttempts: number;
  maxCostUsd?: number;
  /** How long a line's claim lasts without a heartbeat; the runner renews it every third of that. */
  leaseMs: number;
  pollMs: number;
  delegatePollMs: number;
  chunkSize: number;
}

export const DEFAULT_BATCH: BatchSettings = {
  concurrency: 8,
  deploymentConcurrency: 4,
  deploymentRpm: 0,
  patienceMs: 60_000,
  lineAttempts: 3,
  leaseMs: 30_000,
  pollMs: 1000,
  delegatePollMs: 30_000,
  chunkSize: 20,
};

/** A redaction rule: a name for the warning and the pattern it replaces. */
export interface RedactionRule {
  name: string;
  pattern: RegExp;
}

/** What governance knows about a provider: its deployments' limits, whether it is trusted, what to redact. */
export interface ProviderPolicy {
  limits?: RateLimits;
  trusted: boolean;
  redact: RedactionRule[];
  /** The `api_key` when it is a secret reference (`file://`, `vault://`, `aws-sm://`), resolved at call time. */
  secretReference?: string;
}

/** A team's shared budget and rate limits. */
export interface TeamPolicy {
  budget: BudgetLimits;
  limits: RateLimits;
}

/** How long a sticky session stays on its deployment after its last request unless `sticky.ttl_ms` says otherwise. */
export const DEFAULT_STICKY_TTL_MS = 3_600_000;

/** The model that scores `/v1/compare` legs, the rubric it scores against, and the feedback metric the scores go to. */
export interface JudgeSettings {
  model: string;
  rubric: string;
  metric: string;
}

/** What the judge scores against when the config gives no rubric. */
export const DEFAULT_JUDGE_RUBRIC =
  "How well the answer fulfils the user's request: correct, complete, follows every instruction, and no longer than needed.";

/** The resolved runtime configuration: validated, interpolated, defaults applied. */
export interface GatewayConfig {
  /** Where it came from, for the startup banner: a file path or `built-in default`. */
  source: string;
  server: {
    host: string;
    port: number;
    adminKey?: string;
    bodyLimitBytes: number;
    /** How long a streaming client may read nothing before its upstream call is aborted. */
    clientStallMs: number;
    headersTimeoutMs: number;
    /** Headers and body must both have arrived within this. */
    requestTimeoutMs: number;
    /** Longest silence between body bytes. */
    bodyTimeoutMs: number;
    maxConnections: number;
    /** SIGTERM ends what is still running after this long. */
    shutdownGraceMs: number;
    /** Accepted Host names (lower case, without port); unset: loopback names when bound to loopback, else any. */
    allowedHosts?: string[];
    /** Browser origins given CORS access; empty refuses every cross-origin call. */
    corsOrigins: string[];
    /** Reload when the config file changes. */
    watchConfig: boolean;
  };
  /** Bounds on client input: JSON depth, string and model-name length, message/tool/part counts. */
  inputLimits: InputLimits;
  auth: { requireKeys: boolean; teams: Map<string, TeamPolicy> };
  limits: { onBackendError: 'open' | 'closed' };
  dataPolicy: { trustedOnlyTags: string[] };
  /** Governance settings by provider id (every configured provider has one). */
  providerPolicies: Map<string, ProviderPolicy>;
  storage: {
    url: string;
    retentionDays: number;
    storeBodies: boolean;
    /** Days stored bodies are kept (their records may stay longer); 0 keeps them as long as the record. */
    bodyRetentionDays: number;
    /** Days stored responses are kept; 0 keeps them. */
    responseRetentionDays: number;
  };
  /** Shared state: `memory://` (one replica) or `redis://…`; `prefix` namespaces Redis keys. */
  state: { url: string; prefix: string; syncIntervalMs: number };
  /** Response cache bounds (start-up values) and the default entry lifetime. */
  cache: { maxEntries: number; maxBytes: number; ttlMs: number };
  logLevel: string;
  defaults: { retry: RetryPolicy; timeouts: Timeouts; breaker: BreakerPolicy; strictMaxTokens: boolean };
  /** Catalogue overrides by provider id, then upstream model. */
  catalogOverrides: Record<string, Record<string, CatalogOverride>>;
  providers: Map<string, ProviderSettings>;
  models: Map<string, ModelRoute>;
  batch: BatchSettings;
  /** Whether requests without an explicit task class are classified by the built-in heuristic. */
  tasks: { classifier: 'heuristic' | 'off' };
  /** The comparison judge (`compare.judge`), when configured. */
  compareJudge?: JudgeSettings;
  /** Sampling of routing weights and statistics for GET /admin/routing (start-up values). */
  routingHistory: { intervalMs: number; samples: number };
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 2, baseDelayMs: 100, maxDelayMs: 2000 };
export const DEFAULT_TIMEOUTS: Timeouts = { connectMs: 5000, firstTokenMs: 60_000, stallMs: 30_000, totalMs: 600_000 };
export const DEFAULT_BREAKER: BreakerPolicy = { failureThreshold: 5, errorRate: 0.5, minRequests: 20, windowMs: 60_000, cooldownMs: 30_000 };
export const DEFAULT_BODY_LIMIT_BYTES = 10 * 1024 * 1024;
export const DEFAULT_CLIENT_STALL_MS = 30_000;
export const DEFAULT_HEADERS_TIMEOUT_MS = 10_000;
export const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
export const DEFAULT_BODY_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_CONNECTIONS = 4096;
export const DEFAULT_SHUTDOWN_GRACE_MS = 10_000;

export const DEFAULT_CACHE = { maxEntries: 1000, maxBytes: 64 * 1024 * 1024, ttlMs: 300_000 };

/** A routing-history sample every 10 s, one hour of them kept per alias. */
export const DEFAULT_ROUTING_HISTORY = { intervalMs: 10_000, samples: 360 };

export const DEFAULT_STATE_URL = 'memory://';
export const DEFAULT_STORAGE_URL = 'sqlite://./switchyard.db';
/** Stored bodies are the bulk of a log and its most sensitive part, so they expire well before the record (30 days). */
export const DEFAULT_BODY_RETENTION_DAYS = 7;
