import type { Clock } from '../../core/index.js';
import type { IntervalTimer } from '../../ports/interval-timer.js';
import type { DeploymentStatistics, LatencyObservation, RoutingStatistics, StatisticsSnapshot } from '../../ports/routing-statistics.js';
import type { StateStore } from '../../ports/state-store.js';
import { mergeDeploymentStatistics } from '../../routing/merge-statistics.js';
import { MemoryRoutingStatistics } from './memory-routing-statistics.js';

const PREFIX = 'stats:';

/** A replica's statistics as published: the observation time travels as an age (each process has its own clock). */
type Published = Array<[string, { ttftMs?: number; totalMs?: number; outputTokensPerSecond?: number; samples: number; inFlight: number; ageMs?: number }]>;

export interface SharedStatisticsOptions {
  state: StateStore;
  /** This replica's id; its statistics are published under `stats:<id>`. */
  replicaId: string;
  clock: Clock;
  timer: IntervalTimer;
  /** How often this replica publishes its statistics and merges the others'. */
  publishMs: number;
}

function isPublished(value: unknown): value is Published {
  return Array.isArray(value) && value.every((row) => Array.isArray(row) && typeof row[0] === 'string' && typeof row[1] === 'object' && row[1] !== null);
}

function toPublished(snapshot: StatisticsSnapshot, now: number): Published {
  return [...snapshot].map(([deployment, { observedAt, ...rest }]) => [deployment, observedAt === undefined ? rest : { ...rest, ageMs: now - observedAt }]);
}

/**
 * Routing statistics merged over every replica: this replica folds its own answers in memory at once, publishes its
 * statistics through the state store every `publishMs`, and merges the other replicas' last publication into the
 * snapshot routing reads (averages weighted by recent samples, in-flight counts summed). Reads stay synchronous and
 * local; another replica's answers count here within about two publish intervals. A replica that stops publishing
 * drops out after five intervals.
 */
export class SharedRoutingStatistics implements RoutingStatistics {
  private readonly local: MemoryRoutingStatistics;
  /** The other replicas' statistics per deployment, on this replica's clock. */
  private others = new Map<string, DeploymentStatistics[]>();
  private merged: StatisticsSnapshot | undefined;
  private readonly stopTimer: () => void;

  constructor(private readonly options: SharedStatisticsOptions) {
    this.local = new MemoryRoutingStatistics(options.clock);
    this.stopTimer = options.timer.every(options.publishMs, () => void this.publish());
  }

  snapshot(): StatisticsSnapshot {
    if (this.others.size === 0) return this.local.snapshot();
    this.merged ??= this.merge();
    return this.merged;
  }

  observe(observation: LatencyObservation): void {
    this.local.observe(observation);
    this.merged = undefined;
  }

  begin(deployment: string): () => void {
    const end = this.local.begin(deployment);
    this.merged = undefined;
    return () => {
      end();
      this.merged = undefined;
    };
  }

  async close(): Promise<void> {
    this.stopTimer();
    await this.local.close();
  }

  /** Publishes this replica's statistics and reads the others' back. */
  async publish(): Promise<void> {
    const now = this.options.clock.now();
    const own = `${PREFIX}${this.options.replicaId}`;
    this.options.state.set(own, toPublished(this.local.snapshot(), now), { ttlMs: this.options.publishMs * 5 });
    const others = new Map<string, DeploymentStatistics[]>();
    for (const [key, value] of await this.options.state.entries<unknown>(PREFIX)) {
      if (key === own || !isPublished(value)) continue;
      for (const [deployment, { ageMs, ...rest }] of value) {
        const entry: DeploymentStatistics = typeof ageMs === 'number' ? { ...rest, observedAt: now - ageMs } : rest;
        others.set(deployment, [...(others.get(deployment) ?? []), entry]);
      }
    }
    this.others = others;
    this.merged = undefined;
  }

  private merge(): StatisticsSnapshot {
    const merged = new Map<string, DeploymentStatistics>();
    const local = this.local.snapshot();
    for (const deployment of new Set([...local.keys(), ...this.others.keys()])) {
      const own = local.get(deployment);
      merged.set(deployment, mergeDeploymentStatistics([...(own ? [own] : []), ...(this.others.get(deployment) ?? [])]));
    }
    return merged;
  }
}
