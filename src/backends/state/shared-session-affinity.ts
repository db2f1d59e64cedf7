import type { Clock } from '../../core/index.js';
import type { SessionAffinity } from '../../ports/session-affinity.js';
import type { StateStore } from '../../ports/state-store.js';
import { MemorySessionAffinity } from './memory-session-affinity.js';

const PREFIX = 'session:';

/** The scope (an alias, free text) is encoded so the first ':' after the prefix ends it; the session id follows. */
function stateKey(scope: string, session: string): string {
  return `${PREFIX}${encodeURIComponent(scope)}:${session}`;
}

/**
 * Sticky sessions shared by every replica: reads and pins answer from this replica's bounded LRU; each pin is also
 * written to the state store (with its TTL) and reaches the other replicas with the next merge, where the store's
 * watch puts it in their LRUs. A conversation whose next turn lands on another replica within one merge interval of
 * the pin is routed there without it (the strategy's own choice), and pinned from then on.
 */
export class SharedSessionAffinity implements SessionAffinity {
  private readonly local: MemorySessionAffinity;
  private readonly unwatch: () => void;

  constructor(
    private readonly state: StateStore,
    clock: Clock,
    maxSessions?: number,
  ) {
    this.local = new MemorySessionAffinity(clock, maxSessions);
    this.unwatch = state.watch(PREFIX, (key, value, ttlMs) => {
      const rest = key.slice(PREFIX.length);
      const colon = rest.indexOf(':');
      if (typeof value !== 'string' || ttlMs === undefined || ttlMs <= 0 || colon < 0) return;
      this.local.pin(decodeURIComponent(rest.slice(0, colon)), rest.slice(colon + 1), value, ttlMs);
    });
  }

  pinned(scope: string, session: string): string | undefined {
    return this.local.pinned(scope, session);
  }

  pin(scope: string, session: string, deployment: string, ttlMs: number): void {
    this.local.pin(scope, session, deployment, ttlMs);
    this.state.set(stateKey(scope, session), deployment, { ttlMs });
  }

  size(): number {
    return this.local.size();
  }

  /** Stops taking other replicas' pins. */
  close(): void {
    this.unwatch();
  }
}
