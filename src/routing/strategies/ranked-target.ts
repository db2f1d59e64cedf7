import type { Random, Target } from '../../core/index.js';
import type { DeploymentStatistics, StatisticsSnapshot } from '../../ports/routing-statistics.js';
import { deploymentKey } from '../deployment-key.js';

/** What every statistics-driven strategy reads: the fitting targets (with model info), the local statistics, chance. */
export interface StrategyInput {
  /** Targets that can take the request, in config order, carrying their resolved model info. */
  targets: readonly Target[];
  statistics: StatisticsSnapshot;
  random: Random;
  /** Whether the client asked for a stream: streams are ranked by TTFT, whole answers by total time. */
  stream: boolean;
}

/** A target in its strategy's order, with why it is there. */
export interface RankedTarget {
  target: Target;
  reason: string;
}

/** The statistics of a target's deployment, if any answer or attempt was seen. */
export function statisticsOf(input: StrategyInput, target: Target): DeploymentStatistics | undefined {
  return input.statistics.get(deploymentKey(target));
}

/** The latency that matters for this request: TTFT for streams, total time for whole answers (the other as fallback). */
export function relevantLatencyMs(stats: DeploymentStatistics | undefined, stream: boolean): number | undefined {
  if (!stats) return undefined;
  return stream ? (stats.ttftMs ?? stats.totalMs) : (stats.totalMs ?? stats.ttftMs);
}

/** "ttft 120 ms, 85 tok/s" for a decision's reason. */
export function describeLatency(stats: DeploymentStatistics | undefined, stream: boolean): string {
  const latency = relevantLatencyMs(stats, stream);
  if (latency === undefined) return 'no latency samples yet';
  const kind = stream && stats?.ttftMs !== undefined ? 'ttft' : 'total';
  const rate = stats?.outputTokensPerSecond === undefined ? '' : `, ${Math.round(stats.outputTokensPerSecond)} tok/s`;
  return `${kind} ${Math.round(latency)} ms${rate}`;
}
