import type { Clock } from '../../core/index.js';
import type { DeploymentStatistics, LatencyObservation, RoutingStatistics, StatisticsSnapshot } from '../../ports/routing-statistics.js';
import { foldLatency, withInFlight } from '../../routing/fold-latency.js';

/** Most deployments tracked; beyond it the first one added is forgotten (config names are few, this is a guard). */
const MAX_DEPLOYMENTS = 10_000;

/**
 * Routing statistics of this process, in memory. Each change replaces a deployment's entry with a new object, so the
 * snapshot handed to a strategy is the live map of immutable entries: no copy per request.
 */
export class MemoryRoutingStatistics implements RoutingStatistics {
  private readonly map = new Map<string, DeploymentStatistics>();

  constructor(private readonly clock: Clock) {}

  snapshot(): StatisticsSnapshot {
    return this.map;
  }

  observe(observation: LatencyObservation): void {
    this.put(observation.deployment, foldLatency(this.map.get(observation.deployment), observation, this.clock.now()));
  }

  begin(deployment: string): () => void {
    this.put(deployment, withInFlight(this.map.get(deployment), 1));
    let ended = false;
    return () => {
      if (ended) return;
      ended = true;
      this.put(deployment, withInFlight(this.map.get(deployment), -1));
    };
  }

  async close(): Promise<void> {
    this.map.clear();
  }

  private put(deployment: string, statistics: DeploymentStatistics): void {
    // Replaced in place, never deleted and re-added: this runs three times per request, and a delete leaves a hole
    // that makes this long-lived map rebuild its table (in the old generation) every few calls.
    this.map.set(deployment, statistics);
    if (this.map.size > MAX_DEPLOYMENTS) {
      const oldest = this.map.keys().next().value;
      if (oldest !== undefined) this.map.delete(oldest);
    }
  }
}
