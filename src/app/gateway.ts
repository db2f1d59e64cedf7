import type { Logger } from 'pino';
import { SecretScrubber, providerSecrets, systemClock, systemRandom, wallClock, type Clock, type Random } from '../core/index.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { SnapshotCell } from './gateway-snapshot.js';
import { DeploymentBreakers } from '../engine/deployment-breakers.js';
import { Engine } from '../engine/engine.js';
import { DeploymentLane } from '../engine/deployment-lane.js';
import { UpstreamPools } from '../engine/upstream-pools.js';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import type { ReloadOutcome, UpstreamWarmup } from '../ports/gateway-service.js';
import type { RequestLogSink } from '../ports/request-log.js';
import type { RequestLogStore } from '../ports/request-log-store.js';
import type { StateStore } from '../ports/state-store.js';
import { MemoryStateStore } from '../backends/state/memory-state-store.js';
import { MemoryRoutingStatistics } from '../backends/state/memory-routing-statistics.js';
import { MemorySessionAffinity } from '../backends/state/memory-session-affinity.js';
import type { RoutingStatistics } from '../ports/routing-statistics.js';
import type { SessionAffinity } from '../ports/session-affinity.js';
import { StateBanditStatistics } from '../backends/state/state-bandit-statistics.js';
import type { BanditStatistics } from '../ports/bandit-statistics.js';
import { MemoryResponseCache } from '../backends/cache/memory-response-cache.js';
import type { ResponseCache } from '../ports/response-cache.js';
import type { ResponseStore } from '../ports/response-store.js';
import { MemoryResponseStore } from '../backends/responses/memory-response-store.js';
import { WriteBehindResponseStore } from '../backends/responses/write-behind-response-store.js';
import { ProviderRegistry } from './provider-registry.js';
import { RoutingHistory } from '../observability/routing-history.js';
import { CacheHitCounts } from '../observability/cache-hit-counts.js';
import type { Governance } from './governance.js';
import type { RunningBatches } from './batch/start-batch-runner.js';

/**
 * Everything a running gateway holds, built once at start: pools, provider clients, engine, sinks; and the cell with
 * the current config snapshot, the only part a reload changes.
 */
export interface GatewayRuntime {
  snapshots: SnapshotCell;
  engine: Engine;
  /** The same executor over the batch lane: its own per-deployment budget, so batch work never takes live traffic's room. */
  batchEngine: Engine;
  batchLane: DeploymentLane;
  pools: UpstreamPools;
  logger: Logger;
  requestLog: RequestLogSink;
  metrics?: GatewayMetrics;
  /** The request-log store, when one is configured (admin API). */
  store?: RequestLogStore;
  /** Stored Responses API responses: in the request-log store when there is one, else in this process's memory. */
  responses: ResponseStore;
  state: StateStore;
  /** The response cache; its bounds are start-up values, like storage. */
  responseCache: ResponseCache;
  breakers: DeploymentBreakers;
  /** The outcome of the last upstream warm-up, for /ready. */
  warmup: UpstreamWarmup;
  /** Latency and in-flight statistics per deployment, for the latency and least-busy strategies. */
  statistics: RoutingStatistics;
  /** Sticky sessions of aliases with `sticky`. */
  sessions: SessionAffinity;
  /** What the bandit strategy learned from feedback. */
  bandit: BanditStatistics;
  /** How each alias's weights and statistics moved, sampled by a timer (`sampleRoutingHistory`). */
  routingHistory: RoutingHistory;
  /** Response-cache hits and misses, overall and per alias. */
  cacheHits: CacheHitCounts;
  clock: Clock;
  random: Random;
  /** The configured secrets, scrubbed literally from upstream errors, log lines and request records. */
  secrets: SecretScrubber;
  /** Keys, limits, budgets and secrets, once started (the HTTP server starts them; the library runs without). */
  governance?: Governance;
  /** The batch API and runner, when the HTTP server started them (a request-log store is open). */
  batches?: RunningBatches;
  /** When the config in `snapshots` was loaded (epoch ms). */
  configLoadedAt: number;
  /** Re-reads the config from its source and applies it on every worker; absent when it came from no source. */
  reloadConfig?: () => Promise<ReloadOutcome>;
}

export interface RuntimeOptions {
  logger: Logger;
  requestLog: RequestLogSink;
  metrics?: GatewayMetrics;
  store?: RequestLogStore;
  state?: StateStore;
  responseCache?: ResponseCache;
  /** Shared backends of a fleet; each defaults to this process's own in-memory one. */
  statistics?: RoutingStatistics;
  sessions?: SessionAffinity;
  bandit?: BanditStatistics;
  clock?: Clock;
  random?: Random;
  /** The scrubber the caller's logger and request log already use; built from the config when absent. */
  secrets?: SecretScrubber;
}

/** Every secret a config holds: provider keys, their secret headers and URL credentials, and the admin key. */
export function configuredSecrets(config: GatewayConfig): string[] {
  const secrets = [...config.providers.values()].flatMap(providerSecrets);
  if (config.server.adminKey !== undefined) secrets.push(config.server.adminKey);
  return secrets;
}

/**
 * Applies a reloaded config to a running gateway: routes, providers, timeouts, breaker policies and the catalogue
 * take effect for the next request. Listening address, body limit, storage and state keep their start-up values.
 */
export function applyConfig(runtime: GatewayRuntime, config: GatewayConfig): void {
  // In-flight requests still run on the old config, so its secrets stay scrubbed until the next reload.
  runtime.secrets.replace([
    ...configuredSecrets(runtime.snapshots.current.config),
    ...configuredSecrets(config),
    ...(runtime.governance?.secretValues() ?? []),
  ]);
  runtime.snapshots.swap(config);
  runtime.configLoadedAt = runtime.clock.now();
  runtime.logger.level = config.logLevel;
}

/** Wires the runtime around a cell holding the resolved config's snapshot. */
export function createRuntime(snapshots: SnapshotCell, options: RuntimeOptions): GatewayRuntime {
  const pools = new UpstreamPools({ connectTimeoutMs: snapshots.current.config.defaults.timeouts.connectMs });
  const secrets = options.secrets ?? new SecretScrubber(configuredSecrets(snapshots.current.config));
  const clock = options.clock ?? systemClock;
  const registry = new ProviderRegistry(pools, clock, secrets);
  const random = options.random ?? systemRandom;
  const state = options.state ?? new MemoryStateStore(clock);
  // Breaker times are shared with other replicas through the state store: wall-clock unless a test injects a clock.
  const breakers = new DeploymentBreakers(state, options.clock ?? wallClock);
  const statistics = options.statistics ?? new MemoryRoutingStatistics(clock);
  const clientFor = (target: Parameters<ProviderRegistry['clientFor']>[0]) => {
    const client = registry.clientFor(target);
    return runtime.governance ? runtime.governance.wrapClient(client) : client;
  };
  const engine = new Engine({ clientFor, clock, random, breakers, statistics });
  const batchLane = new DeploymentLane(() => {
    const { batch } = runtime.snapshots.current.config;
    return { concurrency: batch.deploymentConcurrency, perMinute: batch.deploymentRpm };
  }, clock);
  const batchEngine = new Engine({ clientFor, clock, random, breakers, statistics, lane: batchLane });
  const runtime: GatewayRuntime = {
    snapshots,
    engine,
    batchEngine,
    batchLane,
    pools,
    logger: options.logger,
    requestLog: options.requestLog,
    state,
    responseCache: options.responseCache ?? new MemoryResponseCache(snapshots.current.config.cache, clock),
    responses: options.store
      ? new WriteBehindResponseStore(options.store, (error) => options.logger.warn({ err: error }, 'stored response write failed'))
      : new MemoryResponseStore(),
    breakers,
    warmup: { warming: false, reachable: [], unreachable: [] },
    statistics,
    sessions: options.sessions ?? new MemorySessionAffinity(clock),
    bandit: options.bandit ?? new StateBanditStatistics(state),
    routingHistory: new RoutingHistory(snapshots.current.config.routingHistory.samples),
    cacheHits: new CacheHitCounts(),
    clock,
    random,
    secrets,
    configLoadedAt: clock.now(),
  };
  if (options.metrics) runtime.metrics = options.metrics;
  if (options.store) runtime.store = options.store;
  return runtime;
}
