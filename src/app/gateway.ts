import type { Logger } from 'pino';
import { systemClock, systemRandom, type Clock, type Random } from '../core/index.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { DeploymentBreakers } from '../engine/deployment-breakers.js';
import { Engine } from '../engine/engine.js';
import { UpstreamPools } from '../engine/upstream-pools.js';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import type { RequestLogSink } from '../ports/request-log.js';
import type { RequestLogStore } from '../ports/request-log-store.js';
import type { StateStore } from '../ports/state-store.js';
import { MemoryStateStore } from '../backends/state/memory-state-store.js';
import { ProviderRegistry } from './provider-registry.js';
import { createModelLookup, type ModelInfoOverride, type ModelLookup, type ModelOverrides } from '../catalog/index.js';

/** Everything a running gateway holds, built once at start: config, pools, provider clients, engine, sinks. */
export interface GatewayRuntime {
  config: GatewayConfig;
  engine: Engine;
  registry: ProviderRegistry;
  pools: UpstreamPools;
  logger: Logger;
  requestLog: RequestLogSink;
  metrics?: GatewayMetrics;
  /** The request-log store, when one is configured (admin API). */
  store?: RequestLogStore;
  state: StateStore;
  breakers: DeploymentBreakers;
  clock: Clock;
  random: Random;
  /** Catalogue lookup with the config's overrides, for context and capability checks. */
  lookupModel: ModelLookup;
}

export interface RuntimeOptions {
  logger: Logger;
  requestLog: RequestLogSink;
  metrics?: GatewayMetrics;
  store?: RequestLogStore;
  state?: StateStore;
  clock?: Clock;
  random?: Random;
}

/** Converts the config's snake_case catalogue overrides into the catalogue's shape. */
function catalogOverridesOf(config: GatewayConfig): ModelOverrides {
  const out: ModelOverrides = {};
  for (const [providerId, models] of Object.entries(config.catalogOverrides)) {
    out[providerId] = {};
    for (const [model, o] of Object.entries(models)) {
      const override: ModelInfoOverride = {};
      if (o.context_window !== undefined) override.contextWindow = o.context_window;
      if (o.max_output_tokens !== undefined) override.maxOutputTokens = o.max_output_tokens;
      if (o.capabilities) {
        const c = o.capabilities;
        override.capabilities = {
          ...(c.tools === undefined ? {} : { tools: c.tools }),
          ...(c.vision === undefined ? {} : { vision: c.vision }),
          ...(c.json_schema === undefined ? {} : { jsonSchema: c.json_schema }),
          ...(c.reasoning === undefined ? {} : { reasoning: c.reasoning }),
        };
      }
      if (o.price) {
        const p = o.price;
        override.price = {
          ...(p.input === undefined ? {} : { input: p.input }),
          ...(p.output === undefined ? {} : { output: p.output }),
          ...(p.cache_read === undefined ? {} : { cacheRead: p.cache_read }),
          ...(p.cache_write === undefined ? {} : { cacheWrite: p.cache_write }),
        };
      }
      out[providerId][model] = override;
    }
  }
  return out;
}

/**
 * Applies a reloaded config to a running gateway: routes, providers, timeouts, breaker policies and the catalogue
 * take effect for the next request. Listening address, body limit, storage and state keep their start-up values.
 */
export function applyConfig(runtime: GatewayRuntime, config: GatewayConfig): void {
  runtime.config = config;
  runtime.lookupModel = createModelLookup(catalogOverridesOf(config));
  runtime.logger.level = config.logLevel;
}

/** Wires the runtime from a resolved config. */
export function createRuntime(config: GatewayConfig, options: RuntimeOptions): GatewayRuntime {
  const pools = new UpstreamPools({ connectTimeoutMs: config.defaults.timeouts.connectMs });
  const registry = new ProviderRegistry(pools);
  const clock = options.clock ?? systemClock;
  const random = options.random ?? systemRandom;
  const state = options.state ?? new MemoryStateStore();
  const breakers = new DeploymentBreakers(state);
  const engine = new Engine({ clientFor: (target) => registry.clientFor(target), clock, random, breakers });
  const lookupModel = createModelLookup(catalogOverridesOf(config));
  const runtime: GatewayRuntime = {
    config,
    engine,
    registry,
    pools,
    logger: options.logger,
    requestLog: options.requestLog,
    state,
    breakers,
    clock,
    random,
    lookupModel,
  };
  if (options.metrics) runtime.metrics = options.metrics;
  if (options.store) runtime.store = options.store;
  return runtime;
}
