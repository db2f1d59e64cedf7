import type { Clock } from '../../core/index.js';
import type { SessionAffinity } from '../../ports/session-affinity.js';

/** Sessions kept by default; beyond it, one not used since the last eviction pass is dropped. */
const DEFAULT_MAX_SESSIONS = 10_000;

interface Pin {
  deployment: string;
  expiresAt: number;
  /** Read or pinned again since it was stored or last passed over by an eviction. */
  used: boolean;
}

/**
 * Sticky sessions of this process, with a TTL per entry, bounded by second-chance eviction: a hit marks its pin and
 * updates it in place. A true LRU deleted and re-inserted the pin on every request of a session, so this long-lived
 * Map rebuilt its table every few calls, and each table it left behind in the old generation kept that window's keys
 * and pins alive through young-generation collections (about 190 bytes promoted per request; see docs/benchmarks.md).
 */
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
    pin.used = true;
    return pin.deployment;
  }

  pin(scope: string, session: string, deployment: string, ttlMs: number): void {
    const key = `${scope}\u0000${session}`;
    const expiresAt = this.clock.now() + ttlMs;
    const held = this.pins.get(key);
    if (held) {
      held.deployment = deployment;
      held.expiresAt = expiresAt;
      held.used = true;
      return;
    }
    this.pins.set(key, { deployment, expiresAt, used: false });
    if (this.pins.size > this.maxSessions) this.evict();
  }

  /** Drops the oldest unmarked pins until the bound holds; a marked one moves to the young end unmarked. */
  private evict(): void {
    // Each marked pin is passed over at most once (it comes back unmarked), so this ends.
    for (const [key, pin] of this.pins) {
      if (this.pins.size <= this.maxSessions) return;
      this.pins.delete(key);
      if (pin.used) {
        pin.used = false;
        this.pins.set(key, pin);
      }
    }
  }

  size(): number {
    return this.pins.size;
  }
}
