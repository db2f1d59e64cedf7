import type { StreamEvent } from '../core/index.js';

/** A finished answer kept for replay: its events (never an error) and who served it. JSON-serialisable. */
export interface CachedResponse {
  /** The served deployment, by configured provider id and upstream model. */
  providerId: string;
  model: string;
  /** Every event of the answer, from response-start to finish. */
  events: StreamEvent[];
}

/** How a client asks the cache to treat one request (`x-switchyard-cache`). */
export type CacheDirective = 'use' | 'skip' | 'refresh';

/**
 * Exact-match response cache keyed on a hash of the canonical request: process memory for one replica, Redis when
 * several replicas should share hits. Implementations bound their own size and expire entries after their TTL.
 */
export interface ResponseCache {
  get(key: string): Promise<CachedResponse | undefined>;
  set(key: string, value: CachedResponse, ttlMs: number): Promise<void>;
  close(): Promise<void>;
}
