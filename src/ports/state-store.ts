/** How a write reaches other replicas. */
export interface SetOptions {
  /** Forget the entry after this long. */
  ttlMs?: number;
  /**
   * Send it to every replica now (a breaker that opens), instead of with the next periodic merge (counts and
   * statistics, where a short staleness is harmless). The write is local at once either way; `set` never waits for
   * the network.
   */
  broadcast?: boolean;
}

/** Told of an entry another replica wrote: its key, value, and how long it has left (undefined: no expiry). */
export type StateChangeListener = (key: string, value: unknown, ttlMs: number | undefined) => void;

/** Whether the shared part of a state store is reachable; a memory store is always `local`. */
export type StateHealth = 'local' | 'shared' | 'degraded';

/**
 * Shared mutable state (breakers, routing statistics): in process memory for one replica, Redis when several replicas
 * must agree. Reads answer from this replica's copy and never wait on a network; writes land locally at once and reach
 * the other replicas by broadcast or the next merge, so both are synchronous. Values are JSON-serialisable.
 */
export interface StateStore {
  /** This replica's copy of `key`, synchronously: a request's breaker check awaits nothing. */
  get<T>(key: string): T | undefined;
  /** Writes locally at once; other replicas get it by broadcast or the next merge, which never blocks the caller. */
  set<T>(key: string, value: T, options?: SetOptions): void;
  /** Every entry whose key starts with `prefix`, for admin views and metrics. */
  entries<T>(prefix: string): Promise<Array<[string, T]>>;
  /**
   * Atomically takes `key` for `ttlMs`: true for exactly one caller across every replica sharing the store (only per
   * replica while the shared store is unreachable).
   */
  claim(key: string, ttlMs: number): Promise<boolean>;
  /**
   * Calls `listener` for every entry under `prefix` that another replica wrote, as it arrives (a broadcast, a merge or
   * a read-back that changed the local copy); returns the function that stops it. A memory store has no other replicas.
   */
  watch(prefix: string, listener: StateChangeListener): () => void;
  health(): StateHealth;
  close(): Promise<void>;
}
