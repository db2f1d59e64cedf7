import { performance } from 'node:perf_hooks';
import type { Harness } from '../harness.js';
import { runClosedLoop, runConcurrentStreams } from '../load-generator.js';
import { median, medianPairSlope, slope } from '../stats.js';
import { requestFor } from '../targets.js';

/** One sample of the Switchyard process during the soak. */
export interface SoakSample {
  atSeconds: number;
  rssMb: number;
  heapUsedMb: number;
  eventLoopP99Ms: number;
  requests: number;
}

/** The soak scenario's result. */
export interface SoakResult {
  seconds: number;
  samples: SoakSample[];
  rssStartMb: number;
  rssEndMb: number;
  /** Least-squares RSS trend over the second half of the run. */
  rssSlopeMbPerMin: number;
  /**
   * Trend of the lowest RSS of each whole minute over the second half of those minutes (Theil–Sen: the median of the
   * pairwise slopes). RSS saws up and down by tens of MB as the collector runs, so a sample-by-sample least-squares
   * slope swings by several MB/min between runs of the same code, while what a leak raises is the level RSS falls back
   * to; the median of pairwise slopes also keeps one minute whose samples all missed the trough from deciding it.
   */
  rssFloorSlopeMbPerMin: number;
  /** The lowest RSS of each whole minute, in order. */
  rssFloorsMb: number[];
  eventLoopP99StartMs: number;
  eventLoopP99EndMs: number;
  requests: number;
  errors: number;
}

export interface SoakOptions {
  seconds: number;
  sampleSeconds: number;
}

/**
 * Mixed load (chat, translate, 64-delta streams) through Switchyard with every feature of the realistic config on —
 * virtual key, key and deployment limits, budget, request record, metrics, two-target `latency` aliases — while
 * sampling that process's RSS and event-loop delay.
 */
export async function runSoak(harness: Harness, options: SoakOptions): Promise<SoakResult> {
  const target = harness.targets.find((t) => t.name === 'switchyard-keys');
  if (!target) throw new Error('soak needs the switchyard-keys (realistic) target');
  const started = performance.now();
  const samples: SoakSample[] = [];
  let requests = 0;
  let errors = 0;
  await harness.realistic.stats();
  const slice = options.sampleSeconds * 1000;
  while (performance.now() - started < options.seconds * 1000) {
    const [chat, translate, streams] = await Promise.all([
      runClosedLoop(harness.pool(target, 8), requestFor(target, 'chat'), 8, slice),
      runClosedLoop(harness.pool(target, 4), requestFor(target, 'translate'), 4, slice),
      runConcurrentStreams(harness.pool(target, 512), requestFor(target, 'stream', 's64i20'), 100, slice - 1500),
    ]);
    requests += chat.requests + translate.requests + streams.filter((s) => s.ok).length;
    errors += chat.errors + translate.errors + streams.filter((s) => !s.ok).length;
    const stats = await harness.realistic.stats();
    samples.push({ atSeconds: (performance.now() - started) / 1000, rssMb: stats.rssMb, heapUsedMb: stats.heapUsedMb, eventLoopP99Ms: stats.eventLoopP99Ms, requests });
  }
  const window = Math.max(1, Math.min(3, Math.floor(samples.length / 3)));
  const head = samples.slice(0, window);
  const tail = samples.slice(-window);
  const late = samples.slice(Math.floor(samples.length / 2));
  const floors = minuteFloors(samples);
  const lateFloors = floors.slice(Math.floor(floors.length / 2));
  return {
    seconds: options.seconds,
    samples,
    rssStartMb: median(head.map((s) => s.rssMb)),
    rssEndMb: median(tail.map((s) => s.rssMb)),
    rssSlopeMbPerMin: slope(late.map((s) => s.atSeconds / 60), late.map((s) => s.rssMb)),
    rssFloorSlopeMbPerMin: lateFloors.length >= 2 ? medianPairSlope(lateFloors.map((f) => f.minute), lateFloors.map((f) => f.rssMb)) : Number.NaN,
    rssFloorsMb: floors.map((f) => f.rssMb),
    eventLoopP99StartMs: median(head.map((s) => s.eventLoopP99Ms)),
    eventLoopP99EndMs: median(tail.map((s) => s.eventLoopP99Ms)),
    requests,
    errors,
  };
}

/** The lowest RSS sampled in each whole minute of the run (a minute the end cuts short is left out). */
function minuteFloors(samples: readonly SoakSample[]): { minute: number; rssMb: number }[] {
  const last = samples.at(-1)?.atSeconds ?? 0;
  const floors: { minute: number; rssMb: number }[] = [];
  for (const sample of samples) {
    const minute = Math.floor(sample.atSeconds / 60);
    if ((minute + 1) * 60 > last) break;
    const floor = floors.at(-1);
    if (floor?.minute === minute) floor.rssMb = Math.min(floor.rssMb, sample.rssMb);
    else floors.push({ minute, rssMb: sample.rssMb });
  }
  return floors;
}
