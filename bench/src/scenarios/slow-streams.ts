import { performance } from 'node:perf_hooks';
import type { Pool } from 'undici';
import { SLOW_STREAM_MODEL } from '../bench-config.js';
import { procCpuMs, procMemory } from '../child-process.js';
import type { Harness } from '../harness.js';
import { timeStream, type StreamResult } from '../load-generator.js';
import { percentile } from '../stats.js';
import { requestFor, type RequestSpec } from '../targets.js';
import { warmStreamPath } from './warm-stream-path.js';

/** What one target did with all the slow streams open at once. */
export interface SlowStreamsRow {
  target: string;
  failed: number;
  /** Streams that waited longer than the stall threshold for a chunk (the wait for the first byte counts). */
  stalled: number;
  maxGapMs: number;
  ttftP99Ms: number;
  /** The most streams open together (first byte received, last not yet): N when they all were open at once. */
  openAtOnce: number;
  /** The target process's RSS just before the streams started and the highest sampled while they ran. */
  rssBeforeMb?: number;
  peakRssMb?: number;
  /**
   * CPU time of the target's process (all threads) per stream served, in ms: what each stream's chunks and setup cost,
   * the budget the open streams share (proxy and both Switchyards only).
   */
  cpuMsPerStream?: number;
}

/** The slow-streams scenario's result. */
export interface SlowStreamsResult {
  streams: number;
  intervalMs: number;
  deltas: number;
  stallMs: number;
  rows: SlowStreamsRow[];
}

export interface SlowStreamsOptions {
  streams: number;
  rampMs: number;
  stallMs: number;
}

const SAMPLE_MS = 100;
const PAUSE_MS = 1000;

/** Highest RSS of a process while `work` runs, read from /proc every SAMPLE_MS. */
async function peakRssWhile<T>(pid: number, work: Promise<T>): Promise<{ result: T; peakRssMb: number }> {
  let peakRssMb = procMemory(pid).rssMb;
  const timer = setInterval(() => {
    peakRssMb = Math.max(peakRssMb, procMemory(pid).rssMb);
  }, SAMPLE_MS);
  try {
    const result = await work;
    return { result, peakRssMb: Math.max(peakRssMb, procMemory(pid).rssMb) };
  } finally {
    clearInterval(timer);
  }
}

/** A stream's result with when it was open: from its first byte to its end (performance.now() ms). */
type TimedStream = StreamResult & { openAt: number; closedAt: number };

/** Starts `count` streams spread evenly over `rampMs`, like runConcurrentStreams, noting when each was open. */
function openStreams(pool: Pool, spec: RequestSpec, count: number, rampMs: number): Promise<TimedStream[]> {
  return Promise.all(
    Array.from({ length: count }, async (_, i) => {
      await new Promise((resolve) => setTimeout(resolve, (i * rampMs) / count));
      const startedAt = performance.now();
      const result = await timeStream(pool, spec);
      return { ...result, openAt: startedAt + result.ttftMs, closedAt: performance.now() };
    }),
  );
}

/** The most intervals [openAt, closedAt) that overlap at one moment (streams that never opened are skipped). */
function mostOpenAtOnce(streams: TimedStream[]): number {
  const edges = streams
    .filter((s) => !Number.isNaN(s.openAt))
    .flatMap((s) => [{ at: s.openAt, step: 1 }, { at: s.closedAt, step: -1 }])
    .sort((a, b) => a.at - b.at || a.step - b.step);
  let open = 0;
  let most = 0;
  for (const edge of edges) {
    open += edge.step;
    most = Math.max(most, open);
  }
  return most;
}

/**
 * Issue 17's memory target: N streams of one chunk every 100 ms (SLOW_STREAM_MODEL) opened over rampMs and held open
 * together, one target at a time; per target the failures, the stalls and, for the proxy and the two Switchyards, the
 * process's peak RSS sampled while the streams ran (VmHWM would include what earlier scenarios left behind).
 */
export async function runSlowStreams(harness: Harness, options: SlowStreamsOptions): Promise<SlowStreamsResult> {
  const [deltas, intervalMs] = (/s(\d+)i(\d+)/.exec(SLOW_STREAM_MODEL) ?? []).slice(1).map(Number);
  const pids: Record<string, number> = { proxy: harness.proxy.pid, switchyard: harness.switchyard.pid, 'switchyard-keys': harness.realistic.pid };
  const names = ['direct', 'proxy', 'switchyard', 'switchyard-keys'];
  const rows: SlowStreamsRow[] = [];
  for (const target of harness.targets.filter((t) => names.includes(t.name))) {
    const pid = pids[target.name];
    const pool = harness.pool(target, 8192);
    // Warm the streaming path and some connections first, as the other scenarios do, so TTFT is not a cold start.
    await warmStreamPath(pool, target, options.rampMs);
    const rssBeforeMb = pid ? procMemory(pid).rssMb : undefined;
    const cpuBefore = pid ? procCpuMs(pid) : Number.NaN;
    const run = openStreams(pool, requestFor(target, 'stream', SLOW_STREAM_MODEL), options.streams, options.rampMs);
    const { result, peakRssMb } = pid ? await peakRssWhile(pid, run) : { result: await run, peakRssMb: undefined };
    const cpuMsPerStream = pid ? (procCpuMs(pid) - cpuBefore) / result.filter((r) => r.ok).length : Number.NaN;
    const ttfts = result.map((r) => r.ttftMs).filter((v) => !Number.isNaN(v));
    rows.push({
      target: target.name,
      failed: result.filter((r) => !r.ok).length,
      stalled: result.filter((r) => r.ok && r.maxGapMs > options.stallMs).length,
      maxGapMs: Math.max(0, ...result.map((r) => r.maxGapMs)),
      ttftP99Ms: percentile(ttfts, 99),
      openAtOnce: mostOpenAtOnce(result),
      ...(rssBeforeMb === undefined || peakRssMb === undefined ? {} : { rssBeforeMb, peakRssMb }),
      ...(Number.isFinite(cpuMsPerStream) ? { cpuMsPerStream } : {}),
    });
    await new Promise((resolve) => setTimeout(resolve, PAUSE_MS));
  }
  return { streams: options.streams, intervalMs: intervalMs ?? Number.NaN, deltas: deltas ?? Number.NaN, stallMs: options.stallMs, rows };
}
