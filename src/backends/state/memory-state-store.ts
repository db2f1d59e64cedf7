import type { Clock } from '../../core/index.js';
import type { StateStore } from '../../ports/state-store.js';

interface Entry {
  value: unknown;
  expiresAt: number | undefined;
}

/** The embedded StateStore: a Map with optional expiry, for a single replica. */
export class MemoryStateStore implements StateStore {
  private readonly map = new Map<string, Entry>();

  constructor(private readonly clock: Clock) {}

  async get<T>(key: string): Promise<T | undefined> {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.clock.now()) {
      this.map.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  async set<T>(key: string, value: T, ttlMs?: number): Promise<void> {
    this.map.set(key, { value, expiresAt: ttlMs === undefined ? undefined : this.clock.now() + ttlMs });
  }

  async entries<T>(prefix: string): Promise<Array<[string, T]>> {
    const now = this.clock.now();
    const out: Array<[string, T]> = [];
    for (const [key, entry] of this.map) {
      if (key.startsWith(prefix) && (entry.expiresAt === undefined || entry.expiresAt > now)) out.push([key, entry.value as T]);
    }
    return out;
  }

  async close(): Promise<void> {
    this.map.clear();
  }
}
