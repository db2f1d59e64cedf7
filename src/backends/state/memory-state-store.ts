import type { Clock } from '../../core/index.js';
import type { SetOptions, StateChangeListener, StateHealth, StateStore } from '../../ports/state-store.js';

/** Expired entries are swept after this many writes, so keys written once and never read again (sessions) go away. */
const SWEEP_EVERY_WRITES = 1000;

interface Entry {
  value: unknown;
  expiresAt: number | undefined;
}

/** The embedded StateStore: a Map with optional expiry, for a single replica (and a shared store's local copy). */
export class MemoryStateStore implements StateStore {
  private readonly map = new Map<string, Entry>();
  private writes = 0;

  constructor(private readonly clock: Clock) {}

  get<T>(key: string): T | undefined {
    return this.read<T>(key);
  }

  set<T>(key: string, value: T, options: SetOptions = {}): void {
    this.write(key, value, options.ttlMs === undefined ? undefined : this.clock.now() + options.ttlMs);
  }

  async entries<T>(prefix: string): Promise<Array<[string, T]>> {
    return this.liveEntries<T>(prefix);
  }

  /** The unexpired entries under `prefix`, synchronously. */
  liveEntries<T>(prefix: string): Array<[string, T]> {
    const now = this.clock.now();
    const out: Array<[string, T]> = [];
    for (const [key, entry] of this.map) {
      if (key.startsWith(prefix) && (entry.expiresAt === undefined || entry.expiresAt > now)) out.push([key, entry.value as T]);
    }
    return out;
  }

  async claim(key: string, ttlMs: number): Promise<boolean> {
    if (this.read(key) !== undefined) return false;
    this.write(key, true, this.clock.now() + ttlMs);
    return true;
  }

  /** One process is every replica there is: no other replica ever writes, so the listener is never called. */
  watch(_prefix: string, _listener: StateChangeListener): () => void {
    return () => undefined;
  }

  health(): StateHealth {
    return 'local';
  }

  async close(): Promise<void> {
    this.map.clear();
  }

  /** The live value of `key`, dropping it when expired. */
  read<T>(key: string): T | undefined {
    const entry = this.map.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt !== undefined && entry.expiresAt <= this.clock.now()) {
      this.map.delete(key);
      return undefined;
    }
    return entry.value as T;
  }

  /** When `key` expires (absolute, on the clock); undefined for an entry kept until overwritten. */
  expiryOf(key: string): number | undefined {
    return this.map.get(key)?.expiresAt;
  }

  /** Stores `value` until the absolute time `expiresAt` (never, when undefined). */
  write(key: string, value: unknown, expiresAt: number | undefined): void {
    this.map.set(key, { value, expiresAt });
    if (++this.writes % SWEEP_EVERY_WRITES === 0) this.sweep();
  }

  private sweep(): void {
    const now = this.clock.now();
    for (const [key, entry] of this.map) if (entry.expiresAt !== undefined && entry.expiresAt <= now) this.map.delete(key);
  }
}
