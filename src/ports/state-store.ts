/**
 * Shared mutable state (breakers, routing statistics): in process memory for one replica, Redis when several replicas
 * must agree. Values are JSON-serialisable.
 */
export interface StateStore {
  get<T>(key: string): Promise<T | undefined>;
  set<T>(key: string, value: T, ttlMs?: number): Promise<void>;
  /** Every entry whose key starts with `prefix`, for admin views and metrics. */
  entries<T>(prefix: string): Promise<Array<[string, T]>>;
  close(): Promise<void>;
}
