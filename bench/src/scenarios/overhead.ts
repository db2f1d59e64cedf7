import type { Harness } from '../harness.js';
import { runClosedLoop } from '../load-generator.js';
import { median, percentile } from '../stats.js';
import { requestFor, type Workload } from '../targets.js';

/** Latency at concurrency 1 for one target, medians over the rounds. */
export interface LatencyRow {
  target: string;
  p50Ms: number;
  p99Ms: number;
  /** Over direct, measured in the same round. */
  addedP50Ms: number;
  addedP99Ms: number;
  /** Streams only: time to the first body byte over direct's, measured in the same round (the streaming measure). */
  addedFirstByteP50Ms?: number;
  addedFirstByteP99Ms?: number;
  requests: number;
  errors: number;
  /** Median and p99 of `x-switchyard-overhead-ms`, when the target reports it. */
  reportedOverheadP50Ms?: number;
  reportedOverheadP99Ms?: number;
}

/** The overhead scenario's result for one workload. */
export interface OverheadResult {
  workload: string;
  rounds: number;
  rows: LatencyRow[];
}

export interface OverheadOptions {
  rounds: number;
  roundMs: number;
  warmupMs: number;
}

/** Concurrency 1, non-streaming and a 64-delta burst stream: added latency over direct, interleaved rounds. */
export async function runOverhead(harness: Harness, options: OverheadOptions): Promise<OverheadResult[]> {
  const results: OverheadResult[] = [];
  const workloads: { name: string; workload: Workload; model?: string }[] = [
    { name: 'non-streaming', workload: 'chat' },
    { name: 'streaming (64 deltas, no delay)', workload: 'stream', model: 's64i0' },
  ];
  for (const { name, workload, model } of workloads) {
    // Portkey 1.15.2 fails every stream on Node 20 (see the streams scenario), so it runs the JSON workload only.
    const targets = harness.targets.filter((t) => workload !== 'stream' || t.name !== 'portkey');
    const perTarget = new Map<
      string,
      { p50: number[]; p99: number[]; added50: number[]; added99: number[]; firstAdded50: number[]; firstAdded99: number[]; reported: number[]; requests: number; errors: number }
    >();
    for (const target of targets) {
      await runClosedLoop(harness.pool(target, 1), requestFor(target, workload, model), 1, options.warmupMs);
      perTarget.set(target.name, { p50: [], p99: [], added50: [], added99: [], firstAdded50: [], firstAdded99: [], reported: [], requests: 0, errors: 0 });
    }
    for (let round = 0; round < options.rounds; round += 1) {
      let direct50 = Number.NaN;
      let direct99 = Number.NaN;
      let directFirst50 = Number.NaN;
      let directFirst99 = Number.NaN;
      const streaming = workload === 'stream';
      for (const target of targets) {
        const result = await runClosedLoop(harness.pool(target, 1), requestFor(target, workload, model), 1, options.roundMs, streaming);
        const entry = perTarget.get(target.name);
        if (!entry) continue;
        const p50 = percentile(result.latenciesMs, 50);
        const p99 = percentile(result.latenciesMs, 99);
        const first50 = streaming ? percentile(result.firstByteMs, 50) : Number.NaN;
        const first99 = streaming ? percentile(result.firstByteMs, 99) : Number.NaN;
        if (target.name === 'direct') {
          direct50 = p50;
          direct99 = p99;
          directFirst50 = first50;
          directFirst99 = first99;
        }
        entry.p50.push(p50);
        entry.p99.push(p99);
        entry.added50.push(p50 - direct50);
        entry.added99.push(p99 - direct99);
        if (streaming) {
          entry.firstAdded50.push(first50 - directFirst50);
          entry.firstAdded99.push(first99 - directFirst99);
        }
        entry.reported.push(...result.reportedOverheadMs);
        entry.requests += result.requests;
        entry.errors += result.errors;
      }
    }
    const rows: LatencyRow[] = [...perTarget.entries()].map(([target, e]) => ({
      target,
      p50Ms: median(e.p50),
      p99Ms: median(e.p99),
      addedP50Ms: median(e.added50),
      addedP99Ms: median(e.added99),
      ...(e.firstAdded50.length > 0 ? { addedFirstByteP50Ms: median(e.firstAdded50), addedFirstByteP99Ms: median(e.firstAdded99) } : {}),
      requests: e.requests,
      errors: e.errors,
      ...(e.reported.length > 0 ? { reportedOverheadP50Ms: percentile(e.reported, 50), reportedOverheadP99Ms: percentile(e.reported, 99) } : {}),
    }));
    results.push({ workload: name, rounds: options.rounds, rows });
  }
  return results;
}
