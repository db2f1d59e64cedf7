import { describeLatency, relevantLatencyMs, statisticsOf, type RankedTarget, type StrategyInput } from './ranked-target.js';

/** Share of requests that go first to a measured target other than the fastest, so its statistics stay fresh. */
export const DEFAULT_EXPLORATION = 0.05;

interface Measured {
  entry: RankedTarget;
  index: number;
  latency: number | undefined;
  rate: number;
  observedAt: number;
}

function compareMeasured(a: Measured, b: Measured): number {
  if (a.latency === undefined || b.latency === undefined) return a.latency === b.latency ? a.index - b.index : a.latency === undefined ? -1 : 1;
  return a.latency - b.latency || b.rate - a.rate || a.index - b.index;
}

/**
 * Fastest first by the recent average (TTFT for streams, total time otherwise; the higher token rate breaks ties).
 * Deployments with no samples yet go first so they get measured. With probability `exploration` the measured target
 * whose statistics are oldest, other than the fastest, goes first instead, so a deployment that got faster is noticed.
 */
export function rankByLatency(input: StrategyInput, exploration: number = DEFAULT_EXPLORATION): RankedTarget[] {
  const measured: Measured[] = input.targets.map((target, index) => {
    const stats = statisticsOf(input, target);
    return {
      entry: { target, reason: `latency: ${describeLatency(stats, input.stream)}` },
      index,
      latency: relevantLatencyMs(stats, input.stream),
      rate: stats?.outputTokensPerSecond ?? 0,
      observedAt: stats?.observedAt ?? Number.NEGATIVE_INFINITY,
    };
  });
  const sorted = measured.sort(compareMeasured);
  const candidates = sorted.slice(1).filter((m) => m.latency !== undefined);
  if (sorted[0]?.latency === undefined || candidates.length === 0 || !(input.random.next() < exploration)) {
    return sorted.map((m) => m.entry);
  }
  const stalest = candidates.reduce((oldest, m) => (m.observedAt < oldest.observedAt ? m : oldest));
  const explored = { target: stalest.entry.target, reason: `${stalest.entry.reason}; exploring (share ${exploration})` };
  return [explored, ...sorted.filter((m) => m !== stalest).map((m) => m.entry)];
}
