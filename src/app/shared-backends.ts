import type { Clock } from '../core/index.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { MemoryStateStore } from '../backends/state/memory-state-store.js';
import { StateBanditStatistics } from '../backends/state/state-bandit-statistics.js';
import type { IntervalTimer } from '../ports/interval-timer.js';
import type { StateStore } from '../ports/state-store.js';
import { SHARED_REFRESH_MS, type SharedBackends } from './shared-backend-set.js';

/**
 * The backends a fleet shares through Redis beside the state store (breakers): routing statistics, sticky sessions,
 * the response cache, rate-limit windows, budget spend and key-change announcements. With a memory state store every
 * part is left undefined and the runtime uses its per-process default. Bandit evidence lives in the state store, or
 * with Redis in hashes updated atomically so no replica's feedback is lost; its snapshot is refreshed on `timer`.
 * `stop` ends the timers (at shutdown). `current` is the config in force (it changes on reload).
 */
export async function sharedBackends(config: GatewayConfig, state: StateStore, clock: Clock, timer: IntervalTimer, current: () => GatewayConfig): Promise<SharedBackends> {
  if (state instanceof MemoryStateStore) {
    const bandit = new StateBanditStatistics(state);
    return { bandit, stop: bandit.refreshEvery(timer, SHARED_REFRESH_MS) };
  }
  // ioredis and rate-limiter-flexible's Redis limiter load only for a fleet: the embedded default never needs them.
  const { redisSharedBackends } = await import('./redis-shared-backends.js');
  return redisSharedBackends(config, state, clock, timer, current);
}
