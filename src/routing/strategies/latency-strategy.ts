import type { Target } from '../../core/index.js';
import type { DeploymentStatistics } from '../../ports/routing-statistics.js';
import { describeLatency, relevantLatencyMs, statisticsOf, type RankedTarget, type StrategyInput } from './ranked-target.js';

/** Share of requests that go first to a measured target other than the fastest, so its statistics stay fresh. */
export const DEFAULT_EXPLORATION = 0.05;

interface Measured {
  target: Target;
  stats: DeploymentStatistics | undefined;
  index: number;
  latency: number | undefined;
  rate: number;
  observedAt: number;
}

function compareMeasured(a: Measured, b: Measured): number {
  if (a.latency === undefined || b.latency === undefined) return a.latency === b.latency ? a.index - b.index : a.latency === undefined ? -1 : 1;
  return a.latency - b.latency || b.rate - a.rate || a.index - b.index;
}

/** Sorts in place by insertion: plans hold a few targets, and `Array.prototype.sort` copies into a work array each call. */
function sortMeasured(measured: Measured[]): void {
  for (let i = 1; i < measured.length; i++) {
    const item = measured[i] as Measured;
    let j = i - 1;
    while (j >= 0 && compareMeasured(measured[j] as Measured, item) > 0) {
      measured[j + 1] = measured[j] as Measured;
      j--;
    }
    measured[j + 1] = item;
  }
}

/** Most reasons remembered; past it the memory starts over (the rounded numbers in them make the set open-ended). */
const MAX_REASONS = 4096;

/** Reasons already written, by what they say: the rounded figures repeat from request to request. */
const reasons = new Map<string, Map<number, Map<number, string>>>();
let reasonCount = 0;

/** `latency: <description>`, the same text `describeLatency` gives, made once per kind, rounded latency and rate. */
function latencyReason(stats: DeploymentStatistics | undefined, stream: boolean): string {
  const latency = relevantLatencyMs(stats, stream);
  if (latency === undefined || stats === undefined) return 'latency: no latency samples yet';
  const ttft = stream && stats.ttftMs !== undefined;
  const rate = stats.outputTokensPerSecond;
  // Whether a rate is shown is part of the kind, so any rounded rate (NaN included) can be a key of its own.
  const kind = rate === undefined ? (ttft ? 'ttft' : 'total') : ttft ? 'ttft, rate' : 'total, rate';
  const roundedLatency = Math.round(latency);
  const roundedRate = rate === undefined ? 0 : Math.round(rate);
  let byLatency = reasons.get(kind);
  let byRate = byLatency?.get(roundedLatency);
  const known = byRate?.get(roundedRate);
  if (known !== undefined) return known;
  if (reasonCount >= MAX_REASONS) {
    reasons.clear();
    reasonCount = 0;
    byLatency = undefined;
    byRate = undefined;
  }
  if (byLatency === undefined) {
    byLatency = new Map();
    reasons.set(kind, byLatency);
  }
  if (byRate === undefined) {
    byRate = new Map();
    byLatency.set(roundedLatency, byRate);
  }
  const reason = `latency: ${describeLatency(stats, stream)}`;
  byRate.set(roundedRate, reason);
  reasonCount += 1;
  return reason;
}

/**
 * Fastest first by the recent average (TTFT for streams, total time otherwise; the higher token rate breaks ties).
 * Deployments with no samples yet go first so they get measured. With probability `exploration` the measured target
 * whose statistics are oldest, other than the fastest, goes first instead, so a deployment that got faster is noticed.
 */
export function rankByLatency(input: StrategyInput, exploration: number = DEFAULT_EXPLORATION): RankedTarget[] {
  const { targets, stream } = input;
  const measured: Measured[] = [];
  for (let index = 0; index < targets.length; index++) {
    const target = targets[index] as Target;
    const stats = statisticsOf(input, target);
    measured.push({
      target,
      stats,
      index,
      latency: relevantLatencyMs(stats, stream),
      rate: stats?.outputTokensPerSecond ?? 0,
      observedAt: stats?.observedAt ?? Number.NEGATIVE_INFINITY,
    });
  }
  sortMeasured(measured);
  // The stalest measured target after the fastest: the first of the oldest, in ranked order.
  let stalest: Measured | undefined;
  for (let i = 1; i < measured.length; i++) {
    const m = measured[i] as Measured;
    if (m.latency !== undefined && (stalest === undefined || m.observedAt < stalest.observedAt)) stalest = m;
  }
  const ranked: RankedTarget[] = [];
  if (measured[0]?.latency === undefined || stalest === undefined || !(input.random.next() < exploration)) {
    for (const m of measured) ranked.push({ target: m.target, reason: latencyReason(m.stats, stream) });
    return ranked;
  }
  ranked.push({ target: stalest.target, reason: `${latencyReason(stalest.stats, stream)}; exploring (share ${exploration})` });
  for (const m of measured) if (m !== stalest) ranked.push({ target: m.target, reason: latencyReason(m.stats, stream) });
  return ranked;
}
