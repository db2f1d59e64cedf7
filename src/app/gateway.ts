import type { Logger } from 'pino';
import { systemClock, systemRandom, type Clock, type Random } from '../core/index.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { DeploymentBreakers } from '../engine/deployment-breakers.js';
import { Engine } from '../engine/engine.js';
import { UpstreamPools } from '../engine/upstream-pools.js';
import type { GatewayMetrics } from '../observability/gateway-metrics.js';
import type { RequestLogSink } from '../ports/request-log.js';
import type { StateStore } from '../ports/state-store.js';
import { MemoryStateStore } from '../backends/state/memory-state-store.js';
import { ProviderRegistry } from '../providers/registry.js';

/** Everything a running gateway holds, built once at start: config, pools, provider clients, engine, sinks. */
export interface GatewayRuntime {
  config: GatewayConfig;
  engine: Engine;
  registry: ProviderRegistry;
  pools: UpstreamPools;
  logger: Logger;
  requestLog: RequestLogSink;
  metrics?: GatewayMetrics;
  state: StateStore;
  breakers: DeploymentBreakers;
  clock: Clock;
  random: Random;
}

export interface RuntimeOptions {
  logger: Logger;
  requestLog: RequestLogSink;
  metrics?: GatewayMetrics;
  state?: StateStore;
  clock?: Clock;
  random?: Random;
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
  const runtime: GatewayRuntime = { config, engine, registry, pools, logger: options.logger, requestLog: options.requestLog, state, breakers, clock, random };
  if (options.metrics) runtime.metrics = options.metrics;
  return runtime;
}
