import type { RoutingOverviewState } from '../ports/gateway-service.js';
import { describeAliases, historySampleOf, type AliasState } from '../routing/routing-overview.js';
import type { GatewayRuntime } from './gateway.js';

/** Every configured alias's routing state, read from this process's memory (statistics, bandit snapshot). */
export function aliasStates(runtime: GatewayRuntime): AliasState[] {
  const { config, lookupModel } = runtime.snapshots.current;
  return describeAliases({
    routes: config.models.values(),
    priceOf: (providerId, model) => {
      const provider = config.providers.get(providerId);
      return provider ? lookupModel({ provider, model })?.price : undefined;
    },
    banditEvidence: runtime.bandit.all(),
    statistics: runtime.statistics.snapshot(),
    now: runtime.clock.now(),
  });
}

/** What GET /admin/routing shows from memory at wall time `at`: the aliases with their cache hit rates and history. */
export function routingOverviewState(runtime: GatewayRuntime, at: number): RoutingOverviewState {
  const { routingHistory: history, cacheHits } = runtime;
  return {
    at,
    historyIntervalMs: runtime.snapshots.current.config.routingHistory.intervalMs,
    historyCapacity: history.capacity,
    cache: cacheHits.overall(),
    aliases: aliasStates(runtime).map((alias) => ({ ...alias, cache: cacheHits.of(alias.alias), history: history.of(alias.alias) })),
  };
}

/** Adds the current state of every alias to its history (run by a timer at wall time `at`). */
export function sampleRoutingHistory(runtime: GatewayRuntime, at: number): void {
  runtime.routingHistory.record(new Map(aliasStates(runtime).map((alias) => [alias.alias, historySampleOf(alias, at)])));
}
