import { GatewayError, boundText, type CanonicalRequest, type Target, type TaskClass, type Usage } from '../core/index.js';
import { cacheSavingOfUsage, costOfUsage, type ModelPrice } from '../catalog/index.js';
import type { CallOptions, CompletionExecution, GatewayService, RoutingStatisticsView, ServiceSnapshot } from '../ports/gateway-service.js';
import type { RequestLogRecord } from '../ports/request-log.js';
import { deploymentKey, splitDeploymentKey } from '../routing/deployment-key.js';
import { observeServedRequest } from '../routing/observe-served-request.js';
import { rankPlan } from '../routing/rank-plan.js';
import type { RoutingContext } from '../routing/order-targets.js';
import { findRoute, fitPlanToRequest, planRoute, type RoutePlan } from '../routing/resolve-route.js';
import { pinSession, sessionKeyOf } from '../routing/sticky-session.js';
import { resolveTaskClass } from '../routing/task-route.js';
import { learnFromFeedback } from './learn-from-feedback.js';
import { completeThroughCache, planCache } from './cached-completion.js';
import { countPromptTokens } from './count-tokens.js';
import type { GatewayRuntime } from './gateway.js';
import type { Engine } from '../engine/engine.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { GatewaySnapshot } from './gateway-snapshot.js';
import { listModels } from './list-models.js';
import { RecentRequests } from './recent-requests.js';
import { routingOverviewState } from './routing-overview-state.js';

const noSettlement = (): undefined => undefined;

/** Whether the request-log store answers a one-row query. */
async function probeStore(runtime: GatewayRuntime): Promise<'ok' | 'unreachable' | 'none'> {
  if (!runtime.store) return 'none';
  try {
    await runtime.store.query({ limit: 1 });
    return 'ok';
  } catch {
    return 'unreachable';
  }
}

/** Prices `usage` at a target's catalogue price with `price` (cost, or what cache pricing saved). */
function pricedAt(
  lookupModel: GatewaySnapshot['lookupModel'],
  target: Target,
  price: (usage: Usage, modelPrice: ModelPrice) => number | undefined,
): (usage: Usage | undefined) => number | undefined {
  return (usage) => {
    const modelPrice = usage ? lookupModel(target)?.price : undefined;
    return usage && modelPrice ? price(usage, modelPrice) : undefined;
  };
}

/** A plan as the batch lane runs it: cheapest target first, no hedging (a hedge spends twice to save time batch work does not need). */
function onBatchLane(plan: RoutePlan): RoutePlan {
  const { hedgeMs: _hedge, ...route } = plan.route;
  return { ...plan, route: { ...route, strategy: 'cost' } };
}

/** The engine and execute options a call runs with: the batch lane's, or live traffic's. */
function laneOf(runtime: GatewayRuntime, config: GatewayConfig, options: CallOptions): { engine: Engine; options: CallOptions & { patienceMs?: number } } {
  if (options.priority !== 'batch') return { engine: runtime.engine, options };
  return { engine: runtime.batchEngine, options: { ...options, patienceMs: config.batch.patienceMs } };
}

/** The plan for a generation: fitted to the request, ranked by the route's strategy, its session pinned when sticky. */
function planCompletion(
  runtime: GatewayRuntime,
  routing: RoutingContext,
  snapshot: GatewaySnapshot,
  request: CanonicalRequest,
  session: string | undefined,
  taskClass: TaskClass | undefined,
  batch: boolean,
): RoutePlan {
  const { config, lookupModel } = snapshot;
  const context: RoutingContext = taskClass ? { banditEvidence: routing.banditEvidence, taskClass } : routing;
  const fitted = fitPlanToRequest(planRoute(request.model, config, runtime.random, context), request, lookupModel);
  const ranked = rankPlan(batch ? onBatchLane(fitted) : fitted, request, {
    statistics: runtime.statistics.snapshot(),
    random: runtime.random,
    countPromptTokens,
  });
  return session === undefined ? ranked : pinSession(ranked, runtime.sessions.pinned(ranked.route.name, session));
}

/** The service's view of one config snapshot: every call made through it routes and prices with that config. */
function bindSnapshot(runtime: GatewayRuntime, snapshot: GatewaySnapshot): ServiceSnapshot {
  const { config, lookupModel } = snapshot;
  // The routing context of requests without a task class, made once: it only reads the bandit's current evidence.
  const routing: RoutingContext = { banditEvidence: (alias, task) => runtime.bandit.read(alias, task) };
  const served = (target: Target) => ({
    costOf: pricedAt(lookupModel, target, costOfUsage),
    cacheSavingOf: pricedAt(lookupModel, target, cacheSavingOfUsage),
  });
  return {
    storeBodies: config.storage.storeBodies,
    inputLimits: config.inputLimits,
    ...(config.compareJudge ? { compareJudge: config.compareJudge } : {}),
    complete(request, callOptions: CallOptions) {
      const cachePlan = planCache(request, callOptions, config);
      // The cache keeps an answer as block events, so a cached call's answer is decoded rather than forwarded.
      const options = cachePlan && callOptions.forwardAnswer ? { ...callOptions, forwardAnswer: false } : callOptions;
      const run = async (): Promise<CompletionExecution> => {
        const taskClass = resolveTaskClass(request, options.task, config);
        const sticky = findRoute(request.model, config)?.sticky;
        const session = sticky ? sessionKeyOf(request, options.session) : undefined;
        const batch = options.priority === 'batch';
        const routed = planCompletion(runtime, routing, snapshot, request, session, taskClass, batch);
        const gate = runtime.governance?.gate;
        const admission = gate?.admit(options.caller, request, routed);
        const plan = admission?.plan ?? routed;
        let execution;
        try {
          const lane = laneOf(runtime, config, options);
          execution = await lane.engine.execute(request, plan, lane.options);
        } catch (error) {
          admission?.settle(undefined, 0);
          throw error;
        }
        if (sticky && session !== undefined) runtime.sessions.pin(plan.route.name, session, deploymentKey(execution.target), sticky.ttlMs);
        // Every field of the engine's Execution named, no spreads: spreading it and then the pricing into one literal
        // went through V8's runtime for each property, per request (Runtime_DefineKeyedOwnPropertyInLiteral).
        const pricing = served(execution.target);
        const completion: CompletionExecution = {
          target: execution.target,
          attempts: execution.attempts,
          decisions: execution.decisions,
          warnings: execution.warnings,
          events: execution.events,
          upstreamMs: execution.upstreamMs,
          costOf: pricing.costOf,
          cacheSavingOf: pricing.cacheSavingOf,
          limitHeaders: admission?.headers ?? {},
          settle: admission?.settle ?? noSettlement,
        };
        if (taskClass) completion.taskClass = taskClass;
        return completion;
      };
      if (!cachePlan) return run();
      const admitHit = async () => {
        const admission = runtime.governance?.gate.admitCacheHit(options.caller, request, findRoute(request.model, config)?.name);
        return admission ? { limitHeaders: admission.headers, settle: admission.settle } : {};
      };
      return completeThroughCache(runtime.responseCache, cachePlan, config, run, admitHit);
    },
    async embed(request, options) {
      const planned = planRoute(request.model, config, runtime.random);
      const routed = options.priority === 'batch' ? onBatchLane(planned) : planned;
      const gate = runtime.governance?.gate;
      const admission = gate?.admitEmbedding(options.caller, request, routed);
      const lane = laneOf(runtime, config, options);
      let execution;
      try {
        execution = await lane.engine.embed(request, admission?.plan ?? routed, lane.options);
      } catch (error) {
        admission?.settle(undefined, 0);
        throw error;
      }
      return {
        target: execution.target,
        attempts: execution.attempts,
        decisions: execution.decisions,
        response: execution.value,
        upstreamMs: execution.upstreamMs,
        ...served(execution.target),
        limitHeaders: admission?.headers ?? {},
        settle: admission?.settle ?? noSettlement,
      };
    },
    listModels: () => listModels(config),
    countTokens(request) {
      const first = findRoute(request.model, config)?.targets[0];
      const provider = first ? config.providers.get(first.providerId) : undefined;
      return provider && first ? countPromptTokens(request, { provider, model: first.model }) : countPromptTokens(request);
    },
    async readiness() {
      const store = await probeStore(runtime);
      const { warmup } = runtime;
      const state = runtime.state.health();
      const degraded = warmup.unreachable.length > 0 || state === 'degraded';
      const status = store === 'unreachable' ? 'not_ready' : warmup.warming ? 'warming' : degraded ? 'degraded' : 'ready';
      return { status, config: config.source, providers: config.providers.size, store, upstreams: { ...warmup }, state };
    },
  };
}

/** This replica's statistics for the admin API, deployments in name order. */
function statisticsView(runtime: GatewayRuntime): RoutingStatisticsView {
  const deployments = [...runtime.statistics.snapshot()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, stats]) => ({ ...splitDeploymentKey(key), ...stats }));
  return { deployments, stickySessions: runtime.sessions.size() };
}

/**
 * The GatewayService over a running gateway. Each config snapshot gets its service view once, so taking the
 * snapshot per request costs a property read.
 */
export function createRuntimeService(runtime: GatewayRuntime): GatewayService {
  const views = new WeakMap<GatewaySnapshot, ServiceSnapshot>();
  const { metrics, store } = runtime;
  const recent = new RecentRequests();
  return {
    get clock() {
      return runtime.clock;
    },
    get batches() {
      return runtime.batches;
    },
    snapshot() {
      const current = runtime.snapshots.current;
      let view = views.get(current);
      if (!view) {
        view = bindSnapshot(runtime, current);
        views.set(current, view);
      }
      return view;
    },
    record(entry: RequestLogRecord) {
      const observation = observeServedRequest(entry);
      if (observation) runtime.statistics.observe(observation);
      recent.remember(entry);
      if (entry.cache !== undefined) {
        const alias = entry.requestedModel !== undefined && runtime.snapshots.current.config.models.has(entry.requestedModel) ? entry.requestedModel : undefined;
        runtime.cacheHits.count(entry.cache, alias);
      }
      runtime.requestLog.record(entry);
    },
    async giveFeedback(entry, caller) {
      if (!store) throw new GatewayError('invalid_request', 'Feedback needs the request log: set storage.url in the config');
      const known = recent.get(entry.requestId) ?? (await store.get(entry.requestId));
      if (!known || (caller !== undefined && known.keyId !== caller.key.id)) {
        throw new GatewayError('not_found', `No request with id ${boundText(entry.requestId, 200)} on this gateway (use the x-request-id the gateway returned)`, {
          param: 'request_id',
        });
      }
      await store.upsertFeedback(entry);
      await learnFromFeedback(runtime.bandit, runtime.snapshots.current.config, known, entry);
    },
    responses: runtime.responses,
    reportInternalError: (error, requestId) => runtime.logger.error({ err: error, requestId }, 'internal error'),
    breakers: () => runtime.breakers.snapshot(),
    routingStatistics: () => statisticsView(runtime),
    routingOverview: (at) => routingOverviewState(runtime, at),
    authenticate: (headers, url) => runtime.governance?.gate.authenticate(headers, url),
    ...(runtime.governance?.keys ? { keys: runtime.governance.keys } : {}),
    ...(runtime.governance?.audit ? { audit: runtime.governance.audit } : {}),
    configInfo: () => ({
      hash: runtime.snapshots.current.hash,
      source: runtime.snapshots.current.config.source,
      loadedAt: runtime.configLoadedAt,
      pid: process.pid,
    }),
    ...(runtime.reloadConfig ? { reloadConfig: runtime.reloadConfig } : {}),
    ...(metrics ? { metrics: async () => ({ contentType: metrics.contentType, text: await metrics.metricsText() }) } : {}),
    ...(store ? { requestLog: store } : {}),
  };
}
