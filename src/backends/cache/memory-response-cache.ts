import type { Clock } from '../../core/index.js';
import type { CachedResponse, ResponseCache } from '../../ports/response-cache.js';

/** Size bounds of the in-memory cache. */
export interface MemoryCacheBounds {
  maxEntries: number;
  /** Bound on the summed JSON size of the stored answers. */
  maxBytes: number;
}

interface Entry {
  value: CachedResponse;
  bytes: number;
  expiresAt: number;
}

/**
 * A least-recently-used response cache in process memory. A Map keeps insertion order, so re-inserting on every hit
 * makes its first key the least recently used one, evicted first when a bound is reached.
 */
export class MemoryResponseCache implements ResponseCache {
  private readonly entries = new Map<string, Entry>();
  private bytes = 0;

  constructor(
    private readonly bounds: MemoryCacheBounds,
    private readonly clock: Clock,
  ) {}

  get(key: string): Promise<CachedResponse | undefined> {
    const entry = this.entries.get(key);
    if (!entry) return Promise.resolve(undefined);
    this.remove(key, entry);
    if (entry.expiresAt <= this.clock.now()) return Promise.resolve(undefined);
    this.insert(key, entry);
    return Promise.resolve(entry.value);
  }

  set(key: string, value: CachedResponse, ttlMs: number): Promise<void> {
    const bytes = Buffer.byteLength(JSON.stringify(value));
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    // An answer larger than the whole cache would evict everything and still not fit.
    if (bytes > this.bounds.maxBytes) return Promise.resolve();
    this.insert(key, { value, bytes, expiresAt: this.clock.now() + ttlMs });
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.bounds.maxEntries && this.bytes <= this.bounds.maxBytes) break;
      this.remove(oldest, entry);
    }
    return Promise.resolve();
  }

  /** Entries and bytes held now, for tests and the admin view. */
  size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  close(): Promise<void> {
    this.entries.clear();
    this.bytes = 0;
    return Promise.resolve();
  }

  private insert(key: string, entry: Entry): void {
    this.entries.set(key, entry);
    this.bytes += entry.bytes;
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.bytes -= entry.bytes;
  }
}
