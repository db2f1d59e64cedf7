import type { Redis } from 'ioredis';
import type { CachedResponse, ResponseCache } from '../../ports/response-cache.js';
import type { MemoryResponseCache } from './memory-response-cache.js';

export interface SharedCacheOptions {
  redis: Redis;
  /** Namespaces the cache keys (`<prefix>cache:<request hash>`). */
  prefix: string;
  /** Answers larger than this stay in this replica's memory only. */
  maxBytes: number;
  /** How long a local miss waits for Redis before it counts as a miss. */
  lookupTimeoutMs: number;
}

function isCachedResponse(value: unknown): value is CachedResponse {
  if (typeof value !== 'object' || value === null) return false;
  const { providerId, model, events } = value as Partial<CachedResponse>;
  return typeof providerId === 'string' && typeof model === 'string' && Array.isArray(events);
}

/**
 * The response cache of a fleet: this replica's bounded LRU first, then Redis, where every replica writes what it
 * caches (SET with the entry's TTL). A hit answers from memory; a local miss costs one Redis read, bounded by
 * `lookupTimeoutMs` (the request would go upstream otherwise, which takes far longer), and a hit found there is kept
 * locally for the rest of its TTL. Redis unreachable: the local cache alone, as for one replica.
 */
export class SharedResponseCache implements ResponseCache {
  constructor(
    private readonly local: MemoryResponseCache,
    private readonly options: SharedCacheOptions,
  ) {}

  async get(key: string): Promise<CachedResponse | undefined> {
    const hit = await this.local.get(key);
    if (hit) return hit;
    const found = await this.lookup(key);
    if (!found) return undefined;
    await this.local.set(key, found.value, found.ttlMs);
    return found.value;
  }

  async set(key: string, value: CachedResponse, ttlMs: number): Promise<void> {
    await this.local.set(key, value, ttlMs);
    const text = JSON.stringify(value);
    if (Buffer.byteLength(text) > this.options.maxBytes) return;
    this.options.redis.set(this.redisKey(key), text, 'PX', Math.max(1, Math.round(ttlMs))).catch(() => undefined);
  }

  close(): Promise<void> {
    return this.local.close();
  }

  private async lookup(key: string): Promise<{ value: CachedResponse; ttlMs: number } | undefined> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), this.options.lookupTimeoutMs);
    });
    const read = this.options.redis
      .multi()
      .get(this.redisKey(key))
      .pttl(this.redisKey(key))
      .exec()
      .then((replies) => {
        const text = replies?.[0]?.[1];
        const ttlMs = replies?.[1]?.[1];
        if (typeof text !== 'string' || typeof ttlMs !== 'number' || ttlMs <= 0) return undefined;
        const value: unknown = JSON.parse(text);
        return isCachedResponse(value) ? { value, ttlMs } : undefined;
      })
      .catch(() => undefined);
    try {
      return await Promise.race([read, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  private redisKey(key: string): string {
    return `${this.options.prefix}cache:${key}`;
  }
}
