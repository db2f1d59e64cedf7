import type { BanditArms, BanditObservation, BanditStatistics } from '../../ports/bandit-statistics.js';
import type { IntervalTimer } from '../../ports/interval-timer.js';
import type { StateStore } from '../../ports/state-store.js';
import { observe } from '../../routing/bandit-evidence.js';
import { BANDIT_KEY_PREFIX, banditKey, parseBanditKey } from './bandit-key.js';

/**
 * Bandit evidence kept in the StateStore, with a local snapshot that serves every read: the single-process backend
 * (memory state store). Updates to one (alias, task class) are serialised in this process; `refresh` reloads the
 * snapshot from the store. A fleet sharing Redis uses RedisBanditStatistics, which applies each update atomically.
 */
export class StateBanditStatistics implements BanditStatistics {
  private readonly snapshot = new Map<string, BanditArms>();
  private readonly queues = new Map<string, Promise<void>>();

  constructor(private readonly state: StateStore) {}

  read(alias: string, taskClass: string): BanditArms {
    return this.snapshot.get(banditKey(alias, taskClass)) ?? {};
  }

  observe(alias: string, taskClass: string, arm: string, observation: BanditObservation, halfLife: number): Promise<void> {
    const key = banditKey(alias, taskClass);
    const previous = this.queues.get(key) ?? Promise.resolve();
    const next = previous.then(() => {
      const stored = this.state.get<BanditArms>(key) ?? this.snapshot.get(key) ?? {};
      const updated = observe(stored, arm, observation, halfLife);
      this.state.set(key, updated);
      this.snapshot.set(key, updated);
    });
    const settled = next.catch(() => undefined);
    this.queues.set(key, settled);
    void settled.then(() => {
      if (this.queues.get(key) === settled) this.queues.delete(key);
    });
    return next;
  }

  all(): Array<{ alias: string; taskClass: string; arms: BanditArms }> {
    return [...this.snapshot.entries()].flatMap(([key, arms]) => {
      const parsed = parseBanditKey(key);
      return parsed ? [{ ...parsed, arms }] : [];
    });
  }

  /**
   * Refreshes the snapshot every `intervalMs` on `timer`, so evidence other replicas learned reaches this one's
   * routing; returns the function that stops it (at shutdown).
   */
  refreshEvery(timer: IntervalTimer, intervalMs: number): () => void {
    return timer.every(intervalMs, () => void this.refresh().catch(() => undefined));
  }

  /** Replaces the local snapshot with the store's evidence (for a shared store, on a background timer). */
  async refresh(): Promise<void> {
    const entries = await this.state.entries<BanditArms>(BANDIT_KEY_PREFIX);
    this.snapshot.clear();
    for (const [key, arms] of entries) this.snapshot.set(key, arms);
  }
}
