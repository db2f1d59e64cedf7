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
import type { IntervalTimer } from '../ports/interval-timer.js';
import type { StateStore } from '../ports/state-store.js';
import { SHARED_REFRESH_MS, type SharedBackends } from './shared-backend-set.js';

/** How long a local response-cache miss waits for Redis. */
const CACHE_LOOKUP_TIMEOUT_MS = 200;

/** The backends a fleet shares through the Redis state store (see `sharedBackends`). */
export function redisSharedBackends(config: GatewayConfig, state: StateStore, clock: Clock, timer: IntervalTimer, current: () => GatewayConfig): SharedBackends {
  if (!(state instanceof RedisStateStore)) throw new Error('the shared backends need the Redis state store');
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
