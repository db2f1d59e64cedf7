import type { Harness } from '../harness.js';
import { YARDSTICK_EXEC_ARGV, procCpuMs, startChild, type BenchChild } from '../child-process.js';
import { runClosedLoop } from '../load-generator.js';
import { median, percentile } from '../stats.js';
import { childTarget, requestFor, type Target, type Workload } from '../targets.js';

/** Throughput of one target, medians over the rounds. */
export interface ThroughputRow {
  target: string;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** This target's requests/s over the bare proxy's in the same round. */
  ratioToProxy: number;
  /** This target's requests/s over plain Switchyard's in the same round (issue 12: governed >= 0.95). */
  ratioToPlain: number;
  /** CPU time of the target's process (all threads) per request, µs; absent for targets the harness did not start. */
  cpuUsPerRequest?: number;
  /**
   * Plain Switchyard's CPU per request over this target's, in the same round: the throughput ratio a CPU-bound
   * gateway would reach, and steadier than requests/s when other processes share the cores.
   */
  cpuRatioToPlain?: number;
  errors: number;
  reportedOverheadP50Ms?: number;
}

/** The throughput (or translate) scenario's result. */
export interface ThroughputResult {
  workload: string;
  connections: number;
  rounds: number;
  rows: ThroughputRow[];
}

export interface ThroughputOptions {
  connections: number;
  rounds: number;
  roundMs: number;
  warmupMs: number;
}

/**
 * Closed-loop load on N connections, targets interleaved round by round, every other round in reverse order: on a
 * shared VM whose speed drifts within a round, a fixed order would favour whichever target runs first. Same-format
 * traffic also loads the product floor (`floor-product.ts`): what a Node gateway doing only the product's per-request
 * duties reaches in the same rounds, beside issue 17's target.
 */
export async function runThroughput(harness: Harness, workload: Workload, options: ThroughputOptions): Promise<ThroughputResult> {
  const floor = workload === 'chat' ? await startChild('floor-product', './floor-product.js', [harness.upstream.origin], YARDSTICK_EXEC_ARGV) : undefined;
  try {
    return await measureThroughput(harness, workload, options, floor);
  } finally {
    await floor?.stop();
  }
}

async function measureThroughput(harness: Harness, workload: Workload, options: ThroughputOptions, floor: BenchChild | undefined): Promise<ThroughputResult> {
  // Portkey fails every streamed request on Node 20 (docs/benchmarks.md), and Codex's requests are streamed.
  const targets: Target[] = workload === 'codex' ? harness.targets.filter((target) => target.name !== 'portkey') : [...harness.targets];
  if (floor) targets.push(childTarget(floor, harness.upstream.origin));
  const series = new Map<string, { rps: number[]; p50: number[]; p99: number[]; ratio: number[]; plain: number[]; cpu: number[]; cpuPlain: number[]; reported: number[]; errors: number }>();
  for (const target of targets) {
    await runClosedLoop(harness.pool(target, options.connections), requestFor(target, workload), options.connections, options.warmupMs);
    series.set(target.name, { rps: [], p50: [], p99: [], ratio: [], plain: [], cpu: [], cpuPlain: [], reported: [], errors: 0 });
  }
  for (let round = 0; round < options.rounds; round += 1) {
    const roundRps = new Map<string, number>();
    const roundCpu = new Map<string, number>();
    const order = round % 2 === 0 ? targets : [...targets].reverse();
    for (const target of order) {
      const cpuBefore = target.pid === undefined ? Number.NaN : procCpuMs(target.pid);
      const result = await runClosedLoop(harness.pool(target, options.connections), requestFor(target, workload), options.connections, options.roundMs);
      const cpuAfter = target.pid === undefined ? Number.NaN : procCpuMs(target.pid);
      const entry = series.get(target.name);
      if (!entry) continue;
      const rps = result.requests / result.seconds;
      roundRps.set(target.name, rps);
      const cpuUs = ((cpuAfter - cpuBefore) * 1000) / result.requests;
      if (Number.isFinite(cpuUs)) {
        roundCpu.set(target.name, cpuUs);
        entry.cpu.push(cpuUs);
      }
      entry.rps.push(rps);
      entry.p50.push(percentile(result.latenciesMs, 50));
      entry.p99.push(percentile(result.latenciesMs, 99));
      entry.reported.push(...result.reportedOverheadMs);
      entry.errors += result.errors;
    }
    const proxyRps = roundRps.get('proxy') ?? Number.NaN;
    const plainRps = roundRps.get('switchyard') ?? Number.NaN;
    for (const [name, rps] of roundRps) {
      series.get(name)?.ratio.push(rps / proxyRps);
      series.get(name)?.plain.push(rps / plainRps);
    }
    const plainCpu = roundCpu.get('switchyard');
    if (plainCpu !== undefined) for (const [name, cpuUs] of roundCpu) series.get(name)?.cpuPlain.push(plainCpu / cpuUs);
  }
  const rows: ThroughputRow[] = [...series.entries()].map(([target, e]) => ({
    target,
    requestsPerSecond: median(e.rps),
    p50Ms: median(e.p50),
    p99Ms: median(e.p99),
    ratioToProxy: median(e.ratio),
    ratioToPlain: median(e.plain),
    ...(e.cpu.length > 0 ? { cpuUsPerRequest: median(e.cpu) } : {}),
    ...(e.cpuPlain.length > 0 ? { cpuRatioToPlain: median(e.cpuPlain) } : {}),
    errors: e.errors,
    ...(e.reported.length > 0 ? { reportedOverheadP50Ms: percentile(e.reported, 50) } : {}),
  }));
  return { workload, connections: options.connections, rounds: options.rounds, rows };
}
