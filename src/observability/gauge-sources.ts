import { Counter, Gauge } from 'prom-client';
import type { Registry } from 'prom-client';

/** One labelled sample returned by a gauge source at scrape time. */
export interface GaugeSample {
  labels: Record<string, string>;
  value: number;
}

/** Request-log queue figures: records waiting to be written, and records dropped because the queue was full. */
export interface QueueStats {
  depth: number;
  dropped: number;
}

/** Connection figures of one upstream pool (undici `Pool.stats`). */
export interface PoolStats {
  origin: string;
  connected: number;
  running: number;
  pending: number;
}

export type BreakerState = 'closed' | 'open' | 'half-open';

/** The state of one provider/model circuit breaker. */
export interface BreakerStats {
  provider: string;
  model: string;
  state: BreakerState;
}

export const METRIC_PREFIX = 'switchyard_';

const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = { closed: 0, open: 1, 'half-open': 2 };

/**
 * Registers a gauge whose samples come from a callback run at scrape time; a source that throws yields no samples
 * rather than failing the whole scrape.
 */
export function registerCallbackGauge(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly string[],
  collectSamples: () => readonly GaugeSample[],
  aggregator: 'sum' | 'max' | 'average' = 'sum',
): void {
  new Gauge({
    name: `${METRIC_PREFIX}${name}`,
    help,
    labelNames,
    registers: [registry],
    // How `--workers` merges the workers' samples (prom-client's cluster aggregation).
    aggregator,
    collect() {
      // Reset first so series whose source entry disappeared (a removed origin, a forgotten breaker) vanish.
      this.reset();
      let samples: readonly GaugeSample[];
      try {
        samples = collectSamples();
      } catch {
        return;
      }
      for (const sample of samples) this.set(sample.labels, sample.value);
    },
  });
}

/** Registers `request_log_queue_depth` and `request_log_dropped_total`, read from `source()` at scrape time. */
export function registerQueueMetrics(registry: Registry, source: () => QueueStats | undefined): void {
  const read = (): QueueStats | undefined => {
    try {
      return source();
    } catch {
      return undefined;
    }
  };
  registerCallbackGauge(registry, 'request_log_queue_depth', 'Request-log records waiting to be written.', [], () => {
    const stats = read();
    return stats === undefined ? [] : [{ labels: {}, value: stats.depth }];
  });
  new Counter({
    name: `${METRIC_PREFIX}request_log_dropped_total`,
    help: 'Request-log records dropped because the write queue was full.',
    registers: [registry],
    collect() {
      // The queue owns the running total; mirror it so the exposition keeps counter semantics.
      const stats = read();
      this.reset();
      if (stats !== undefined) this.inc(Math.max(0, stats.dropped));
    },
  });
}

/** Registers `upstream_connections{origin,state}` with state connected|running|pending. */
export function registerPoolMetrics(registry: Registry, source: () => readonly PoolStats[]): void {
  registerCallbackGauge(
    registry,
    'upstream_connections',
    'Upstream pool connections by origin: connected sockets, running and pending requests.',
    ['origin', 'state'],
    () =>
      source().flatMap((pool) => [
        { labels: { origin: pool.origin, state: 'connected' }, value: pool.connected },
        { labels: { origin: pool.origin, state: 'running' }, value: pool.running },
        { labels: { origin: pool.origin, state: 'pending' }, value: pool.pending },
      ]),
  );
}

/** Registers `breaker_state{provider,model}`: 0 closed, 1 open, 2 half-open. */
export function registerBreakerMetrics(registry: Registry, source: () => readonly BreakerStats[]): void {
  registerCallbackGauge(
    registry,
    'breaker_state',
    'Circuit breaker state per provider and model: 0 closed, 1 open, 2 half-open.',
    ['provider', 'model'],
    () =>
      source().map((breaker) => ({
        labels: { provider: breaker.provider, model: breaker.model },
        value: BREAKER_STATE_VALUE[breaker.state],
      })),
    // Each worker keeps its own breakers; summing states would be meaningless, the highest one is shown.
    'max',
  );
}
