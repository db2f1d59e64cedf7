import { performance } from 'node:perf_hooks';
import type { Harness } from '../harness.js';
import { runClosedLoop, runConcurrentStreams } from '../load-generator.js';
import { median, slope } from '../stats.js';
import { requestFor } from '../targets.js';

/** One sample of the Switchyard process during the soak. */
export interface SoakSample {
  atSeconds: number;
  rssMb: number;
  /** The lowest RSS right after a full collection in this sample's interval; NaN when none ran. */
  afterFullGcRssMb: number;
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
   * Least-squares trend of RSS read right after each full collection, over the second half of the run: RSS saws up
   * and down by tens of MB as the collector runs, so a sample-by-sample slope over five minutes swings by several
   * MB/min between runs of the same code, while what a leak raises is the level a full collection brings RSS back to.
   */
  afterFullGcSlopeMbPerMin: number;
  /** How many samples of the second half had a full collection in their interval (the points of that trend). */
  afterFullGcPoints: number;
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
    samples.push({ atSeconds: (performance.now() - started) / 1000, rssMb: stats.rssMb, afterFullGcRssMb: stats.afterFullGcRssMb, heapUsedMb: stats.heapUsedMb, eventLoopP99Ms: stats.eventLoopP99Ms, requests });
  }
  const window = Math.max(1, Math.min(3, Math.floor(samples.length / 3)));
  const head = samples.slice(0, window);
  const tail = samples.slice(-window);
  const late = samples.slice(Math.floor(samples.length / 2));
  const afterGc = late.filter((s) => Number.isFinite(s.afterFullGcRssMb));
  return {
    seconds: options.seconds,
    samples,
    rssStartMb: median(head.map((s) => s.rssMb)),
    rssEndMb: median(tail.map((s) => s.rssMb)),
    rssSlopeMbPerMin: slope(late.map((s) => s.atSeconds / 60), late.map((s) => s.rssMb)),
    afterFullGcSlopeMbPerMin: afterGc.length >= 2 ? slope(afterGc.map((s) => s.atSeconds / 60), afterGc.map((s) => s.afterFullGcRssMb)) : Number.NaN,
    afterFullGcPoints: afterGc.length,
    eventLoopP99StartMs: median(head.map((s) => s.eventLoopP99Ms)),
    eventLoopP99EndMs: median(tail.map((s) => s.eventLoopP99Ms)),
    requests,
    errors,
  };
}
