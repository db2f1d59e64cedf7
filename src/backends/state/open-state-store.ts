import type { Clock } from '../../core/index.js';
import type { StateHealth, StateStore } from '../../ports/state-store.js';
import { MemoryStateStore } from './memory-state-store.js';

/** The config's `state` section. */
export interface StateSettings {
  url: string;
  prefix: string;
  syncIntervalMs: number;
}

/** A full read-back of the shared state this often catches up on broadcasts missed while disconnected. */
const RESYNC_INTERVAL_MS = 5000;

/** Opens the state store `settings.url` names: `memory://` in this process, `redis://…` shared through Redis. */
export async function openStateStore(
  settings: StateSettings,
  clock: Clock,
  onHealthChange?: (health: StateHealth, error?: Error) => void,
): Promise<StateStore> {
  if (!/^rediss?:\/\//.test(settings.url)) return new MemoryStateStore(clock);
  // ioredis is loaded only for a fleet's shared state: the embedded default never needs it.
  const { RedisStateStore } = await import('./redis-state-store.js');
  const store = new RedisStateStore({
    url: settings.url,
    prefix: settings.prefix,
    syncIntervalMs: settings.syncIntervalMs,
    resyncIntervalMs: RESYNC_INTERVAL_MS,
    clock,
    ...(onHealthChange ? { onHealthChange } : {}),
  });
  await store.open();
  return store;
}
