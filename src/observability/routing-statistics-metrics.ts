import type { Registry } from 'prom-client';
import type { DeploymentStatistics, StatisticsSnapshot } from '../ports/routing-statistics.js';
import { splitDeploymentKey } from '../routing/deployment-key.js';
import { registerCallbackGauge, type GaugeSample } from './gauge-sources.js';

/** Where the routing gauges read from at scrape time. */
export interface RoutingStatisticsSource {
  statistics(): StatisticsSnapshot;
  /** Whether the config knows a deployment's name (`provider/model`): only those become label values. */
  isKnownDeployment(deployment: string): boolean;
  stickySessions(): number;
}

function samples(source: RoutingStatisticsSource, pick: (key: string, stats: DeploymentStatistics) => GaugeSample[]): GaugeSample[] {
  const out: GaugeSample[] = [];
  for (const [key, stats] of source.statistics()) if (source.isKnownDeployment(key)) out.push(...pick(key, stats));
  return out;
}

/**
 * Gauges of the latency and load statistics the routing strategies read, per deployment the config knows; one reached
 * only through a `provider/model` name the config does not know is not exported, so clients cannot mint label values.
 */
export function registerRoutingStatisticsMetrics(registry: Registry, source: RoutingStatisticsSource): void {
  registerCallbackGauge(
    registry,
    'routing_latency_ms',
    'Moving average of upstream latency per known deployment: kind=ttft for streams, total for whole answers.',
    ['provider', 'model', 'kind'],
    () =>
      samples(source, (key, stats) => {
        const labels = splitDeploymentKey(key);
        const out: GaugeSample[] = [];
        if (stats.ttftMs !== undefined) out.push({ labels: { ...labels, kind: 'ttft' }, value: stats.ttftMs });
        if (stats.totalMs !== undefined) out.push({ labels: { ...labels, kind: 'total' }, value: stats.totalMs });
        return out;
      }),
    'average',
  );
  registerCallbackGauge(
    registry,
    'routing_output_tokens_per_second',
    'Moving average of generated tokens per second per known deployment.',
    ['provider', 'model'],
    () => samples(source, (key, stats) => (stats.outputTokensPerSecond === undefined ? [] : [{ labels: splitDeploymentKey(key), value: stats.outputTokensPerSecond }])),
    'average',
  );
  registerCallbackGauge(
    registry,
    'routing_in_flight',
    'Upstream attempts in flight per known deployment (what least-busy routing compares).',
    ['provider', 'model'],
    () => samples(source, (key, stats) => [{ labels: splitDeploymentKey(key), value: stats.inFlight }]),
  );
  registerCallbackGauge(registry, 'sticky_sessions', 'Sessions pinned to a deployment by sticky routing.', [], () => [{ labels: {}, value: source.stickySessions() }]);
}
