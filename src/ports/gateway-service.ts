import type {
  AttemptRecord,
  CancelSource,
  CanonicalRequest,
  Clock,
  EmbeddingRequest,
  EmbeddingResponse,
  InputLimits,
  StreamEvent,
  Target,
  TaskClass,
  Usage,
  Warning,
} from '../core/index.js';
import type { RequestLogRecord } from './request-log.js';
import type { DeploymentStatistics } from './routing-statistics.js';
import type { FeedbackEntry, RequestLogStore } from './request-log-store.js';
import type { CacheDirective } from './response-cache.js';
import type { AuditLog } from './audit-log.js';
import type { KeyAdministration, ResolvedKey } from './virtual-key.js';
import type { StateHealth } from './state-store.js';
import type { AliasOverview, RoutingOverview } from './routing-overview.js';
import type { ResponseStore } from './response-store.js';
import type { BatchFiles, BatchJobs } from './batch-service.js';

/** Why a target was tried or skipped, as the request record keeps it. */
export type RoutingDecision = NonNullable<RequestLogRecord['routing']>[number];

/** What every upstream call needs from its caller. */
export interface CallOptions {
  requestId: string;
  /** Aborted when the client goes away; aborts the upstream call and stops failover. */
  signal: CancelSource;
  /** Where the call lists its upstream attempts (the request's record), so they are kept when it fails. */
  attempts?: AttemptRecord[];
  /** The `x-switchyard-session` header, for aliases with sticky sessions. */
  session?: string;
  /** The task class the client named (`x-switchyard-task` or `metadata.task`), not yet validated. */
  task?: string;
  /** The client's `x-switchyard-cache` directive; without it only aliases with `cache` configured use the cache. */
  cache?: CacheDirective;
  /** The virtual key the client authenticated with: its model globs, limits and budgets apply to the call. */
  caller?: ResolvedKey;
  /**
   * `batch`: the call runs on the batch lane (`x-switchyard-priority: batch`, and every batch line): its own
   * per-deployment budget, targets cheapest first, and patience with a rate-limited target's retry-after.
   */
  priority?: 'batch';
  /**
   * The caller writes a same-format target's answer as it came (`wire` events in `events`) and needs no block events:
   * it neither stores nor folds the answer. Ignored when the answer goes to the response cache, which keeps events.
   */
  forwardAnswer?: boolean;
}

/** The story every served call carries: who answered, after which attempts, and what it cost. */
export interface ServedCall {
  target: Target;
  attempts: AttemptRecord[];
  decisions: RoutingDecision[];
  /** The task class the request was routed as, when it had one. */
  taskClass?: TaskClass;
  /** The price of `usage` at the serving target, from the same snapshot that routed the call; undefined when unknown. */
  costOf(usage: Usage | undefined): number | undefined;
  /** What cache pricing saved on `usage` (cost billed as plain input minus cost as billed); undefined without cache reads. */
  cacheSavingOf(usage: Usage | undefined): number | undefined;
}

/** A generation committed to one target: its events from the commit point on. */
export interface CompletionExecution extends ServedCall {
  /** Warnings known at the commit point. */
  warnings: Warning[];
  /** Events of the committed attempt; ends after finish or error. */
  events: AsyncIterable<StreamEvent>;
  /** Milliseconds spent waiting on upstreams so far (all attempts). */
  upstreamMs(): number;
  /** `hit` when replayed from the response cache (no upstream call), `miss` when looked up and not found; unset when not cached. */
  cache?: 'hit' | 'miss';
  /** `x-ratelimit-*` headers of the limits the call was admitted under (empty when none applies). */
  limitHeaders?: Record<string, string>;
  /**
   * Settles the call's token and budget reservations with what it really used; call once, when the request ends.
   * Without usage or cost (the client hung up before a stream's last chunk) the budget keeps the reserved estimate,
   * which is returned so the record can carry it; undefined otherwise.
   */
  settle?(usage: Usage | undefined, costUsd: number | undefined): number | undefined;
}

/** Embeddings answered by one target. */
export interface EmbeddingExecution extends ServedCall {
  response: EmbeddingResponse;
  upstreamMs: number;
  /** `x-ratelimit-*` headers of the limits the call was admitted under (empty when none applies). */
  limitHeaders?: Record<string, string>;
  /** Settles the call's token and budget reservations with the upstream's usage; call once, when the request ends. */
  settle?(usage: Usage | undefined, costUsd: number | undefined): number | undefined;
}

/** One deployment's circuit breaker, as the admin API shows it. */
export interface BreakerSnapshot {
  provider: string;
  model: string;
  state: 'closed' | 'open' | 'half-open';
  consecutiveFailures: number;
  openedAt?: number;
}

/** What `/ready` reports. */
export interface Readiness {
  /**
   * `ready`; `degraded` when the last warm-up could not reach some upstream or shared state (Redis) is unreachable; `warming` while it runs; `not_ready` when
   * the request-log store does not answer. Only `warming` and `not_ready` are answered with 503.
   */
  status: 'ready' | 'degraded' | 'warming' | 'not_ready';
  /** Where the config came from (a file path, `default`, …). */
  config: string;
  providers: number;
  /** The request-log store: answering a one-row query, failing, or not configured (records kept in memory only). */
  store: 'ok' | 'unreachable' | 'none';
  upstreams: UpstreamWarmup;
  /** Shared state: `local` (in this process only), `shared` (Redis reachable) or `degraded` (Redis lost: local state). */
  state: StateHealth;
}

/** The config one process serves, for `GET /admin/config` and comparing replicas. */
export interface ConfigInfo {
  /** Fingerprint of the resolved config; replicas serving the same config report the same one. */
  hash: string;
  source: string;
  /** When this config was loaded (epoch ms). */
  loadedAt: number;
  pid: number;
}

/** What `POST /admin/reload` did: swapped in the file's config, or kept the running one because the file is invalid. */
export type ReloadOutcome =
  | { reloaded: true; config: ConfigInfo }
  | { reloaded: false; issues: Array<{ path: string; message: string }>; config: ConfigInfo };

/** The last connection warm-up of the configured HTTP upstreams, by origin. */
export interface UpstreamWarmup {
  warming: boolean;
  reachable: string[];
  unreachable: string[];
}

/**
 * The gateway as one config sees it. A request takes a snapshot once, at its start, and uses it to its end: a reload
 * swaps in a new snapshot for later requests and never changes one a request holds. Later call types (responses,
 * compare, batch lines) are methods here, running through the same executor.
 */
export interface ServiceSnapshot {
  /** Whether request and response bodies go on the record (`storage.store_bodies`). */
  readonly storeBodies: boolean;
  /** Bounds on client input (`input_limits`). */
  readonly inputLimits: InputLimits;
  /** The model that scores `/v1/compare` legs (`compare.judge`), when configured. */
  readonly compareJudge?: { model: string; rubric: string; metric: string };
  /** Routes and runs a generation; resolves at the commit point, rejects with a GatewayError when every target failed. */
  complete(request: CanonicalRequest, options: CallOptions): Promise<CompletionExecution>;
  /** Routes and runs an embeddings request through the same executor as completions. */
  embed(request: EmbeddingRequest, options: CallOptions): Promise<EmbeddingExecution>;
  /** Every model name a client can send. */
  listModels(): string[];
  /** Prompt tokens of a request, counted as the route's first target would (Claude's estimate when none is known). */
  countTokens(request: CanonicalRequest): number;
  readiness(): Promise<Readiness>;
}

/**
 * What the HTTP layer needs from the gateway, and nothing more: it never sees the app's runtime, registry or config.
 * Keys, feedback and batch jobs join here as they are built.
 */
export interface GatewayService {
  readonly clock: Clock;
  /** The current snapshot; take it once per request. */
  snapshot(): ServiceSnapshot;
  /** Records a finished request (store, logs, metrics, traces). */
  record(entry: RequestLogRecord): void;
  /** Reports a failure of the gateway's own (a bug), for the operator's log. */
  reportInternalError(error: unknown, requestId: string): void;
  /** Prometheus text, when metrics are on. */
  metrics?(): Promise<{ contentType: string; text: string }>;
  /** Stored Responses API responses (the request-log store, else this process's memory); owner-scoped reads. */
  readonly responses: ResponseStore;
  /** Request-log queries for the admin API and stored comparisons, when a store is configured. */
  readonly requestLog?: Pick<RequestLogStore, 'query' | 'get' | 'aggregate' | 'feedbackSummary' | 'saveComparison' | 'listComparisons' | 'getComparison'>;
  /**
   * Stores a feedback score on a request this gateway recorded (replacing an earlier one for the same metric); rejects
   * with a GatewayError `not_found` for an unknown id, `invalid_request` when no store is configured. A `caller` may
   * score only its own key's requests: another key's read as unknown, so scores cannot steer routing for others.
   */
  giveFeedback(entry: FeedbackEntry, caller?: ResolvedKey): Promise<void>;
  /** Every known deployment's breaker state. */
  breakers(): Promise<BreakerSnapshot[]>;
  /**
   * The virtual key a client API call presents (Bearer, x-api-key, x-goog-api-key or `?key=`), looked up in memory;
   * throws `authentication_failed` when keys are required and it is missing or not valid. Undefined: no key applies.
   */
  authenticate(headers: Record<string, string | string[] | undefined>, url: string): ResolvedKey | undefined;
  /** Virtual key management for the admin API, when a key store is open. */
  readonly keys?: KeyAdministration;
  /** Administrative actions, for the admin API, when a store is open. */
  readonly audit?: AuditLog;
  /** This replica's routing statistics per deployment, and how many sticky sessions it holds. */
  routingStatistics(): RoutingStatisticsView;
  /** Every alias's strategy, targets, weights, cache hit rate and history at wall time `at`, from memory. */
  routingOverview(at: number): RoutingOverviewState;
  /** The config this process serves. */
  configInfo(): ConfigInfo;
  /** Re-reads the config from where it was loaded and swaps it in (on every worker), when it came from a source. */
  reloadConfig?(): Promise<ReloadOutcome>;
  /** Batch files and jobs, when the batch runner is on (the HTTP server starts it). */
  readonly batches?: { files: BatchFiles; jobs: BatchJobs };
}

/** One deployment's routing statistics, as the admin API shows them. */
export interface DeploymentStatisticsView extends DeploymentStatistics {
  provider: string;
  model: string;
}

/** What GET /admin/routing/stats returns. */
export interface RoutingStatisticsView {
  deployments: DeploymentStatisticsView[];
  stickySessions: number;
}

/** `GET /admin/routing` before the admin route adds the feedback window from the request log. */
export type RoutingOverviewState = Omit<RoutingOverview, 'window' | 'aliases'> & { aliases: Array<Omit<AliasOverview, 'feedback'>> };
