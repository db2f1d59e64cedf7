import type { Clock } from '../core/index.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { MemoryResponseCache } from '../backends/cache/memory-response-cache.js';
import { SharedResponseCache } from '../backends/cache/shared-response-cache.js';
import { SharedBudgetLedger } from '../backends/limits/shared-budget-ledger.js';
import { SharedWindowCounters } from '../backends/limits/shared-window-counters.js';
import { RedisBanditStatistics } from '../backends/state/redis-bandit-statistics.js';
import { RedisStateStore } from '../backends/state/redis-state-store.js';
import { SharedRoutingStatistics } from '../backends/state/shared-routing-statistics.js';
import { SharedSessionAffinity } from '../backends/state/shared-session-affinity.js';
import { StateBanditStatistics } from '../backends/state/state-bandit-statistics.js';
import type { IntervalTimer } from '../ports/interval-timer.js';
import type { StateStore } from '../ports/state-store.js';

/** How often routing statistics are published to the other replicas and bandit evidence re-read. */
const SHARED_REFRESH_MS = 1000;
/** How long a local response-cache miss waits for Redis. */
const CACHE_LOOKUP_TIMEOUT_MS = 200;

/**
 * The backends a fleet shares through Redis beside the state store (breakers): routing statistics, sticky sessions,
 * the response cache, rate-limit windows, budget spend and key-change announcements. With a memory state store every
 * part is left undefined and the runtime uses its per-process default. Bandit evidence lives in the state store, or
 * with Redis in hashes updated atomically so no replica's feedback is lost; its snapshot is refreshed on `timer`.
 * `stop` ends the timers (at shutdown). `current` is the config in force (it changes on reload).
 */
export function sharedBackends(config: GatewayConfig, state: StateStore, clock: Clock, timer: IntervalTimer, current: () => GatewayConfig) {
  if (!(state instanceof RedisStateStore)) {
    const bandit = new StateBanditStatistics(state);
    return { bandit, stop: bandit.refreshEvery(timer, SHARED_REFRESH_MS) };
  }
  const { prefix, syncIntervalMs } = config.state;
  const redis = state.commands;
  const bandit = new RedisBanditStatistics({ redis, prefix });
  // Load what the fleet learned now rather than at the first tick.
  void bandit.refresh();
  const stopBandit = bandit.refreshEvery(timer, SHARED_REFRESH_MS);
  const sessions = new SharedSessionAffinity(state, clock);
  return {
    bandit,
    sessions,
    statistics: new SharedRoutingStatistics({ state, replicaId: state.replicaId, clock, timer, publishMs: SHARED_REFRESH_MS }),
    responseCache: new SharedResponseCache(new MemoryResponseCache(config.cache, clock), {
      redis,
      prefix,
      maxBytes: config.cache.maxBytes,
      lookupTimeoutMs: CACHE_LOOKUP_TIMEOUT_MS,
    }),
    governance: {
      state,
      counters: new SharedWindowCounters({ redis, prefix, clock, timer, syncIntervalMs, failClosed: () => current().limits.onBackendError === 'closed' }),
      // Budget windows are calendar days and months: wall-clock time, the same on every replica.
      ledger: new SharedBudgetLedger({ redis, prefix, timer, syncIntervalMs, now: Date.now }),
    },
    stop: () => {
      stopBandit();
      sessions.close();
    },
  };
}
