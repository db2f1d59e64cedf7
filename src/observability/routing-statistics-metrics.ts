import type { Registry } from 'prom-client';
import type { DeploymentStatistics, StatisticsSnapshot } from '../ports/routing-statistics.js';
import { splitDeploymentKey } from '../routing/deployment-key.js';
import { registerCallbackGauge, type GaugeSample } from './gauge-sources.js';

/** Where the routing gauges read from at scrape time. */
export interface RoutingStatisticsSource {
  statistics(): StatisticsSnapshot;
  /** Whether a deployment (`provider/model`) is a target of a configured alias: only those become label values. */
  isConfiguredDeployment(deployment: string): boolean;
  stickySessions(): number;
}

function samples(source: RoutingStatisticsSource, pick: (key: string, stats: DeploymentStatistics) => GaugeSample[]): GaugeSample[] {
  const out: GaugeSample[] = [];
  for (const [key, stats] of source.statistics()) if (source.isConfiguredDeployment(key)) out.push(...pick(key, stats));
  return out;
}

/**
 * Gauges of the latency and load statistics the routing strategies read, per configured deployment; a deployment
 * reached only through a client-chosen `provider/model` name is not exported, so clients cannot mint label values.
 */
export function registerRoutingStatisticsMetrics(registry: Registry, source: RoutingStatisticsSource): void {
  registerCallbackGauge(
    registry,
    'routing_latency_ms',
    'Moving average of upstream latency per configured deployment: kind=ttft for streams, total for whole answers.',
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
    'Moving average of generated tokens per second per configured deployment.',
    ['provider', 'model'],
    () => samples(source, (key, stats) => (stats.outputTokensPerSecond === undefined ? [] : [{ labels: splitDeploymentKey(key), value: stats.outputTokensPerSecond }])),
    'average',
  );
  registerCallbackGauge(
    registry,
    'routing_in_flight',
    'Upstream attempts in flight per configured deployment (what least-busy routing compares).',
    ['provider', 'model'],
    () => samples(source, (key, stats) => [{ labels: splitDeploymentKey(key), value: stats.inFlight }]),
  );
  registerCallbackGauge(registry, 'sticky_sessions', 'Sessions pinned to a deployment by sticky routing.', [], () => [{ labels: {}, value: source.stickySessions() }]);
}
