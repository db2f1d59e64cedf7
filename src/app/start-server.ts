import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { GatewayError, SecretScrubber, systemClock, wallClock, type Clock, type Random } from '../core/index.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { LoadResult } from '../config/load-config.js';
import { openStateStore } from '../backends/state/open-state-store.js';
import type { ReloadOutcome } from '../ports/gateway-service.js';
import { watchConfigFile } from './watch-config-file.js';
import { BatchingRequestLog } from '../backends/request-log/batching-request-log.js';
import { createRequestLogStore } from '../backends/request-log/create-request-log-store.js';
import { startRetentionJob } from '../backends/request-log/start-retention-job.js';
import { WorkerRequestLogStore, canRunStoreInWorker } from '../backends/request-log/worker-request-log-store.js';
import { buildServer } from '../http/server.js';
import { GatewayMetrics } from '../observability/gateway-metrics.js';
import { FanOutRequestLog } from '../observability/fan-out-request-log.js';
import { ScrubbingRequestLog } from '../observability/scrubbing-request-log.js';
import { createRequestTracer } from '../observability/request-tracer.js';
import type { RequestLogSink } from '../ports/request-log.js';
import { applyConfig, configuredSecrets, createRuntime, type GatewayRuntime } from './gateway.js';
import { joinClusterMetrics } from './cluster-metrics.js';
import { SnapshotCell } from './gateway-snapshot.js';
import { knownLabelNames } from './known-label-names.js';
import { createRuntimeService } from './runtime-service.js';
import { registerRoutingStatisticsMetrics } from '../observability/routing-statistics-metrics.js';
import { registerRoutingBanditMetrics } from '../observability/routing-bandit-metrics.js';
import { aliasStates, sampleRoutingHistory } from './routing-overview-state.js';
import { LogRequestSink } from './log-request-sink.js';
import { startGovernance } from './governance.js';
import { startBatchRunner } from './batch/start-batch-runner.js';
import { createProviderBatchApis } from '../engine/provider-batch/create-provider-batch-apis.js';
import { GovernanceMetrics } from '../observability/governance-metrics.js';
import { createLogger } from './logger.js';
import { sharedBackends } from './shared-backends.js';
import { boundOldGenerationGrowth, keepRequestObjectsYoung } from './heap-tuning.js';
import { widenInliningBudget } from './inlining-budget.js';
import { holdTickObjectMaps } from './tick-object-maps.js';

export interface StartOptions {
  host?: string;
  port?: number;
  /** A logger of the caller's; give it `secrets` too (createLogger's third argument) so its lines are scrubbed. */
  logger?: Logger;
  /** The scrubber for configured secrets; built from the config when absent. */
  secrets?: SecretScrubber;
  requestLog?: RequestLogSink;
  /** Open upstream connections at start (default true). */
  warm?: boolean;
  /** Environment for OpenTelemetry settings (default process.env). */
  env?: Record<string, string | undefined>;
  /** A worker of `--workers N`: /metrics answers with every worker's metrics, merged by the primary. */
  clusterWorker?: boolean;
  /** How often virtual keys changed by other processes are read from the store; default 500 ms. */
  keyPollMs?: number;
  /** Re-reads the config from where it came from; enables POST /admin/reload, `server.watch_config` and `reloadFromSource`. */
  loadConfig?: () => Promise<LoadResult>;
  /** Called after this process reloaded through the admin API, to reload the other workers of `--workers N`. */
  onAdminReload?: () => void;
  /** Injected time and randomness, for deterministic tests. */
  clock?: Clock;
  random?: Random;
  /**
   * Runs `tick` every `intervalMs` until the returned function is called; drives the routing history
   * (`routing.history`) and the shared backends' merges and refreshes (bandit evidence, routing statistics, rate-limit
   * and budget sync). Default: an unref'd `setInterval`. Tests pass one they fire by hand.
   */
  every?: (intervalMs: number, tick: () => void) => () => void;
}

/** The production timer: an interval that never keeps the process alive on its own. */
function everyInterval(intervalMs: number, tick: () => void): () => void {
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}

/** A listening gateway. */
export interface RunningServer {
  url: string;
  app: FastifyInstance;
  runtime: GatewayRuntime;
  /** Stops accepting, lets in-flight requests finish, flushes the request log, closes upstream pools. */
  close(): Promise<void>;
  /** Swaps in a new config for the next requests (in-flight ones finish on the old) and warms its upstreams. */
  reload(config: GatewayConfig): Promise<string[]>;
  /** Re-reads the config (`loadConfig`), validates it and swaps it in; an invalid one is logged and changes nothing. */
  reloadFromSource(trigger: string): Promise<ReloadOutcome>;
}

/** Starts the HTTP server for a config and resolves once it listens. */
export async function startServer(config: GatewayConfig, options: StartOptions = {}): Promise<RunningServer> {
  // First: a full collection with no tick pending would otherwise send every later tick through V8's runtime.
  holdTickObjectMaps();
  // Before any request: V8 must not learn from the start-up's survivors to allocate request objects as long-lived.
  keepRequestObjectsYoung();
  // Before the load: the old generation's limit is set from this factor at every full collection.
  boundOldGenerationGrowth();
  // Before the request path is optimized: the budget is read when TurboFan compiles a function.
  widenInliningBudget();
  const secrets = options.secrets ?? new SecretScrubber(configuredSecrets(config));
  const logger = options.logger ?? createLogger(config.logLevel, undefined, secrets);
  const snapshots = new SnapshotCell(config);
  const metrics = new GatewayMetrics({ knownNames: () => knownLabelNames(snapshots.current.config) });
  // Spans are written when a request ends; by then a reload may have swapped the snapshot, and the names follow it.
  const tracer = await createRequestTracer(options.env ?? process.env, {
    resolveProviderName: (id) => snapshots.current.providerName(id),
  });
  const persisted = options.requestLog ? undefined : await openRequestLog(config, logger);
  const fanOut = new FanOutRequestLog([options.requestLog ?? persisted?.sink, new LogRequestSink(logger), metrics, tracer], (error) => {
    logger.warn({ err: error }, 'request log sink failed');
  });
  const requestLog = new ScrubbingRequestLog(fanOut, secrets);
  const clock = options.clock ?? systemClock;
  const state = await openStateStore(config.state, clock, (health, error) => {
    if (health === 'degraded') logger.warn({ err: error }, 'shared state (Redis) unreachable: serving on this replica\'s local state; /ready reports degraded');
    else logger.info('shared state (Redis) connected: local state merged and resynchronised');
  });
  const shared = await sharedBackends(config, state, clock, { every: options.every ?? everyInterval }, () => snapshots.current.config);
  const runtime = createRuntime(snapshots, {
    logger,
    requestLog,
    metrics,
    secrets,
    state,
    // Only an injected clock goes on: left alone, the breakers keep their wall clock, which other replicas can read.
    ...(options.clock ? { clock: options.clock } : {}),
    bandit: shared.bandit,
    ...(shared.sessions ? { sessions: shared.sessions } : {}),
    ...(shared.statistics ? { statistics: shared.statistics } : {}),
    ...(shared.responseCache ? { responseCache: shared.responseCache } : {}),
    ...(persisted ? { store: persisted.store } : {}),
    ...(options.random ? { random: options.random } : {}),
  });
  runtime.governance = await startGovernance({
    config: () => runtime.snapshots.current.config,
    lookup: () => runtime.snapshots.current.lookupModel,
    logger,
    metrics: new GovernanceMetrics(metrics.registry),
    openStore: persisted !== undefined || config.auth.requireKeys || config.server.adminKey !== undefined,
    env: options.env ?? process.env,
    ...(options.keyPollMs === undefined ? {} : { keyPollMs: options.keyPollMs }),
    onSecretValues: (values) => runtime.secrets.replace([...configuredSecrets(runtime.snapshots.current.config), ...values]),
    ...(shared.governance ? { shared: shared.governance } : {}),
  });
  if (persisted) metrics.setQueueStatsSource(() => persisted.sink.stats());
  metrics.setPoolStatsSource(() => runtime.pools.stats());
  if (options.clusterWorker) metrics.setTextSource(joinClusterMetrics(metrics.registry));
  metrics.setBreakerStateSource(() => runtime.breakers.localStates());
  registerRoutingStatisticsMetrics(metrics.registry, {
    statistics: () => runtime.statistics.snapshot(),
    isKnownDeployment: (deployment) => knownLabelNames(runtime.snapshots.current.config).models.has(deployment),
    stickySessions: () => runtime.sessions.size(),
  });
  registerRoutingBanditMetrics(metrics.registry, () => aliasStates(runtime));
  const stopSampling = (options.every ?? everyInterval)(config.routingHistory.intervalMs, () => sampleRoutingHistory(runtime, Date.now()));
  const stateBackend = config.state.url.startsWith('memory:') ? 'memory' : 'redis';
  metrics.registerGauge('state_store_up', 'Whether shared state is reachable (1), or this replica serves on local state alone (0).', ['backend'], () => [
    { labels: { backend: stateBackend }, value: state.health() === 'degraded' ? 0 : 1 },
  ]);
  // Summed over `--workers`: the value is how many processes serve that config.
  metrics.registerGauge('config_info', 'The config this process serves, by its hash (GET /admin/config); always 1.', ['hash'], () => [
    { labels: { hash: runtime.snapshots.current.hash }, value: 1 },
  ]);
  // Every reload path (SIGHUP, admin API, file watch, library) swaps, audits and re-reads secret references alike.
  const swapConfig = (next: GatewayConfig, actor: string): Promise<string[]> => {
    applyConfig(runtime, next);
    runtime.governance?.record({ actor, action: 'config.reload', details: { source: next.source } });
    void runtime.governance?.trackSecrets(next);
    return warmUpstreams(runtime);
  };
  const reloadFromSource = async (trigger: string): Promise<ReloadOutcome> => {
    const result = options.loadConfig ? await options.loadConfig() : { issues: [{ path: '', message: 'this gateway was started without a config source to re-read' }], notes: [] };
    if (!result.config) {
      logger.warn({ trigger, issues: result.issues }, 'config reload rejected; still serving the running config');
      return { reloaded: false, issues: result.issues, config: service.configInfo() };
    }
    void swapConfig(result.config, trigger);
    logger.info({ trigger, hash: runtime.snapshots.current.hash, source: result.config.source }, 'config reloaded');
    return { reloaded: true, config: service.configInfo() };
  };
  if (options.loadConfig) {
    runtime.reloadConfig = async () => {
      const outcome = await reloadFromSource('admin API');
      if (outcome.reloaded) options.onAdminReload?.();
      return outcome;
    };
  }
  const service = createRuntimeService(runtime);
  const stopResponseRetention =
    config.storage.responseRetentionDays > 0
      ? startRetentionJob((olderThanMs) => runtime.responses.pruneResponses(olderThanMs), config.storage.responseRetentionDays * DAY_MS, 3_600_000, {
          onError: (error) => logger.warn({ err: error }, 'stored response retention failed'),
        })
      : () => undefined;
  if (persisted) {
    const batchApis = createProviderBatchApis({ pools: runtime.pools, secrets: runtime.secrets });
    runtime.batches = await startBatchRunner({
      config: () => runtime.snapshots.current.config,
      lookup: () => runtime.snapshots.current.lookupModel,
      service,
      keyOf: (id) => runtime.governance?.keyById(id),
      clock: wallClock,
      logger,
      metrics,
      providerBatchApis: runtime.governance?.wrapBatchApis(batchApis) ?? batchApis,
    });
  }
  const host = options.host ?? config.server.host;
  const port = options.port ?? config.server.port;
  const { server: serverConfig } = config;
  const app = buildServer(service, {
    logger,
    bodyLimitBytes: serverConfig.bodyLimitBytes,
    ...(serverConfig.adminKey ? { adminKey: serverConfig.adminKey } : {}),
    listenHost: host,
    edge: serverConfig,
  });
  await app.listen({ host, port });
  if (options.warm !== false) void warmUpstreams(runtime);
  const stopWatching = config.server.watchConfig && options.loadConfig ? watchConfigFile(config.source, () => void reloadFromSource('file watch'), logger) : () => undefined;
  const address = app.server.address();
  const boundPort = typeof address === 'object' && address !== null ? address.port : port;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`,
    app,
    runtime,
    reloadFromSource,
    reload(next: GatewayConfig): Promise<string[]> {
      return swapConfig(next, 'signal');
    },
    close(): Promise<void> {
      closing ??= (async () => {
        // Connections that finish their last response while we drain turn idle after close() began; close those too,
        // or keep-alive clients would hold the process open until their timeout.
        stopWatching();
        stopSampling();
        const sweep = setInterval(() => app.server.closeIdleConnections(), 50);
        const { requestsEndMs, connectionsEndMs } = shutdownSchedule(config.server.shutdownGraceMs);
        const endRequests = setTimeout(() => {
          const reason = `Gateway shutting down: request not finished within server.shutdown_grace_ms (${config.server.shutdownGraceMs} ms)`;
          app.inFlight.endAll(new GatewayError('shutting_down', reason));
        }, requestsEndMs);
        // What is left after the handlers had a moment to answer and record is cut off.
        const endConnections = setTimeout(() => app.server.closeAllConnections(), connectionsEndMs);
        try {
          await app.close();
        } finally {
          clearInterval(sweep);
          clearTimeout(endRequests);
          clearTimeout(endConnections);
        }
        // Batch lines still running go back to the queue (and are recorded) before the request log is flushed.
        await runtime.batches?.close();
        await runtime.requestLog.flush();
        persisted?.stopRetention();
        stopResponseRetention();
        await persisted?.store.close();
        await tracer?.shutdown();
        await runtime.pools.close();
        shared.stop();
        await runtime.statistics.close();
        await runtime.responseCache.close();
        // Governance pushes its last counts and spend through the state store's connection: close it first.
        await runtime.governance?.close();
        await runtime.state.close();
      })();
      return closing;
    },
  };
}

/**
 * When, after SIGTERM, running requests are ended and their connections closed: early enough that the request log
 * can still be flushed (within the rest of the grace period) before it is over.
 */
function shutdownSchedule(graceMs: number): { requestsEndMs: number; connectionsEndMs: number; flushMs: number } {
  const flushMs = Math.min(2000, Math.floor(graceMs / 4));
  const requestsEndMs = graceMs - flushMs;
  return { requestsEndMs, connectionsEndMs: requestsEndMs + Math.floor(flushMs / 4), flushMs: flushMs - Math.floor(flushMs / 4) };
}

const DAY_MS = 86_400_000;

/** Opens the configured request-log store, runs its migrations, and puts the batching queue and retention job in front. */
async function openRequestLog(config: GatewayConfig, logger: Logger) {
  const onError = (error: Error): void => logger.warn({ err: error }, 'request log store error');
  // In a worker thread, encoding rows and SQLite's synchronous transactions never block the request path.
  const store = canRunStoreInWorker()
    ? new WorkerRequestLogStore(config.storage.url, { onError })
    : await createRequestLogStore(config.storage.url, { onError });
  await store.migrate();
  const sink = new BatchingRequestLog(store, {
    storeBodies: config.storage.storeBodies,
    flushTimeoutMs: shutdownSchedule(config.server.shutdownGraceMs).flushMs,
    onError: (error) => logger.warn({ err: error }, 'request log write failed; retrying'),
  });
  const stopRecordRetention =
    config.storage.retentionDays > 0
      ? startRetentionJob((olderThanMs) => store.prune(olderThanMs), config.storage.retentionDays * DAY_MS, 3_600_000, { onError: (error) => logger.warn({ err: error }, 'retention job failed') })
      : () => undefined;
  // Bodies go sooner than their records; the record's own pruning takes its bodies with it whatever this says.
  const stopBodyRetention =
    config.storage.bodyRetentionDays > 0
      ? startRetentionJob((olderThanMs) => store.pruneBodies(olderThanMs), config.storage.bodyRetentionDays * DAY_MS, 3_600_000, {
          onError: (error) => logger.warn({ err: error }, 'body retention job failed'),
        })
      : () => undefined;
  const stopRetention = (): void => {
    stopRecordRetention();
    stopBodyRetention();
  };
  return { store, sink, stopRetention };
}

/** Pre-opens keep-alive connections to every configured HTTP upstream, once per connect timeout in use. */
async function warmUpstreams(runtime: GatewayRuntime): Promise<string[]> {
  const { config } = runtime.snapshots.current;
  const origins: Array<{ baseUrl: string; connectTimeoutMs: number }> = [];
  for (const provider of config.providers.values()) {
    if (provider.type !== 'simulated') origins.push({ baseUrl: provider.baseUrl, connectTimeoutMs: config.defaults.timeouts.connectMs });
  }
  for (const route of config.models.values()) {
    for (const target of route.targets) {
      const provider = config.providers.get(target.providerId);
      if (provider && provider.type !== 'simulated') origins.push({ baseUrl: provider.baseUrl, connectTimeoutMs: route.timeouts.connectMs });
    }
  }
  runtime.warmup = { ...runtime.warmup, warming: true };
  const warmed = await runtime.pools.warm(origins);
  const unreachable = [...new Set(origins.map(({ baseUrl }) => new URL(baseUrl).origin))].filter((origin) => !warmed.includes(origin));
  runtime.warmup = { warming: false, reachable: warmed, unreachable };
  if (warmed.length > 0) runtime.logger.info({ origins: warmed }, 'upstream connections warmed');
  if (unreachable.length > 0) runtime.logger.warn({ origins: unreachable }, 'upstream origins did not answer the warm-up; /ready reports degraded');
  return warmed;
}

/** One line per provider for the startup banner: which are live and where their key came from. */
export function describeProviders(config: GatewayConfig): string[] {
  return [...config.providers.values()].map((provider) => {
    const auth = provider.type === 'simulated' ? 'in-process, no key needed' : provider.apiKey ? 'key configured' : 'NO KEY';
    const where = provider.type === 'simulated' ? '' : ` ${provider.baseUrl}`;
    return `  ${provider.id} (${provider.type})${where} — ${auth}`;
  });
}
