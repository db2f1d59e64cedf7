import type { Target, Usage } from '../core/index.js';
import { costOfUsage } from '../catalog/index.js';
import type { GatewayService, ServiceSnapshot } from '../ports/gateway-service.js';
import { findRoute, fitPlanToRequest, planRoute } from '../routing/resolve-route.js';
import { countPromptTokens } from './count-tokens.js';
import type { GatewayRuntime } from './gateway.js';
import type { GatewaySnapshot } from './gateway-snapshot.js';
import { listModels } from './list-models.js';

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

/** The service's view of one config snapshot: every call made through it routes and prices with that config. */
function bindSnapshot(runtime: GatewayRuntime, snapshot: GatewaySnapshot): ServiceSnapshot {
  const { config, lookupModel } = snapshot;
  const costAt =
    (target: Target) =>
    (usage: Usage | undefined): number | undefined => {
      const price = usage ? lookupModel(target)?.price : undefined;
      return usage && price ? costOfUsage(usage, price) : undefined;
    };
  return {
    storeBodies: config.storage.storeBodies,
    inputLimits: config.inputLimits,
    async complete(request, options) {
      const plan = fitPlanToRequest(planRoute(request.model, config, runtime.random), request, lookupModel);
      const execution = await runtime.engine.execute(request, plan, options);
      return { ...execution, costOf: costAt(execution.target) };
    },
    async embed(request, options) {
      const plan = planRoute(request.model, config, runtime.random);
      const execution = await runtime.engine.embed(request, plan, options);
      return {
        target: execution.target,
        attempts: execution.attempts,
        decisions: execution.decisions,
        response: execution.value,
        upstreamMs: execution.upstreamMs,
        costOf: costAt(execution.target),
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
      const status = store === 'unreachable' ? 'not_ready' : warmup.warming ? 'warming' : warmup.unreachable.length > 0 ? 'degraded' : 'ready';
      return { status, config: config.source, providers: config.providers.size, store, upstreams: { ...warmup } };
    },
  };
}

/**
 * The GatewayService over a running gateway. Each config snapshot gets its service view once, so taking the
 * snapshot per request costs a property read.
 */
export function createRuntimeService(runtime: GatewayRuntime): GatewayService {
  const views = new WeakMap<GatewaySnapshot, ServiceSnapshot>();
  const { metrics, store } = runtime;
  return {
    get clock() {
      return runtime.clock;
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
    record: (entry) => runtime.requestLog.record(entry),
    reportInternalError: (error, requestId) => runtime.logger.error({ err: error, requestId }, 'internal error'),
    breakers: () => runtime.breakers.snapshot(),
    ...(metrics ? { metrics: async () => ({ contentType: metrics.contentType, text: await metrics.metricsText() }) } : {}),
    ...(store ? { requestLog: store } : {}),
  };
}
