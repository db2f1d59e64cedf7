import type { Clock } from '../../core/index.js';
import type { SessionAffinity } from '../../ports/session-affinity.js';

/** Sessions kept by default; the least recently used is dropped beyond it. */
const DEFAULT_MAX_SESSIONS = 10_000;

interface Pin {
  deployment: string;
  expiresAt: number;
}

/** Sticky sessions of this process: an LRU (a Map in use order) with a TTL per entry. */
export class MemorySessionAffinity implements SessionAffinity {
  private readonly pins = new Map<string, Pin>();

  constructor(
    private readonly clock: Clock,
    private readonly maxSessions: number = DEFAULT_MAX_SESSIONS,
  ) {}

  pinned(scope: string, session: string): string | undefined {
    const key = `${scope}\u0000${session}`;
    const pin = this.pins.get(key);
    if (!pin) return undefined;
    if (pin.expiresAt <= this.clock.now()) {
      this.pins.delete(key);
      return undefined;
    }
    this.pins.delete(key);
    this.pins.set(key, pin);
    return pin.deployment;
  }

  pin(scope: string, session: string, deployment: string, ttlMs: number): void {
    const key = `${scope}\u0000${session}`;
    this.pins.delete(key);
    this.pins.set(key, { deployment, expiresAt: this.clock.now() + ttlMs });
    while (this.pins.size > this.maxSessions) {
      const oldest = this.pins.keys().next().value;
      if (oldest === undefined) break;
      this.pins.delete(oldest);
    }
  }

  size(): number {
    return this.pins.size;
  }
}
