import { seededRandom } from '../../../dist/core/random.js';
import type { Harness } from '../harness.js';
import { procCpuMs, startChild, YARDSTICK_EXEC_ARGV, type BenchChild } from '../child-process.js';
import { openPool, runClosedLoop } from '../load-generator.js';
import { groupedMedianInterval, median } from '../stats.js';
import { requestFor, type Target, type Workload } from '../targets.js';

export interface GovernanceCostOptions {
  /** Process pairs (plain, governed): the harness's own and fresh ones. */
  pairs: number;
  /** Alternated slices per pair, each loading one process of the pair. */
  slices: number;
  sliceMs: number;
  /** Load per process before its first slice, in three alternated parts (the JIT takes seconds to settle). */
  warmupMs: number;
  connections: number;
}

/**
 * Whose governance is measured: Switchyard's (plain against governed), or the product floor's (`floor-product.ts`
 * without and with its key, windows, budget and headers), the least the same duties cost a Node gateway.
 */
export type GovernanceSubject = 'switchyard' | 'product-floor';

/** Governed against ungoverned, slice by slice, over several process pairs (issue 12). */
export interface GovernanceCostResult {
  subject: GovernanceSubject;
  workload: Workload;
  connections: number;
  pairs: number;
  slices: number;
  sliceMs: number;
  /** Governed req/s over plain's in the slice next to it: the median over every slice of every pair. */
  ratio: number;
  /** 90 % interval of that median (two-level bootstrap: pairs, then slices). */
  low: number;
  high: number;
  /** Plain's CPU per request (all threads) over governed's, the same way. */
  cpuRatio: number;
  cpuLow: number;
  cpuHigh: number;
  /** Each pair's own median req/s ratio: a process-wide state (JIT, collector) shows as one pair apart. */
  pairRatios: number[];
  errors: number;
}

/** A gateway the scenario loads: one the harness or the scenario started, so its CPU can be read. */
type Side = Target & { pid: number };

/** How a subject's ungoverned and governed processes are started, and the target names their requests are built for. */
interface PairSpec {
  script: string;
  plain: Target['name'];
  governed: Target['name'];
  plainArgs: string[];
  governedArgs: string[];
  execArgv: readonly string[];
}

function pairSpec(subject: GovernanceSubject, upstreamOrigin: string): PairSpec {
  return subject === 'switchyard'
    ? { script: './switchyard-process.js', plain: 'switchyard', governed: 'switchyard-governed', plainArgs: [upstreamOrigin], governedArgs: [upstreamOrigin, 'governed'], execArgv: [] }
    : { script: './floor-product.js', plain: 'floor-product', governed: 'floor-product', plainArgs: [upstreamOrigin, 'ungoverned'], governedArgs: [upstreamOrigin], execArgv: YARDSTICK_EXEC_ARGV };
}

const CONFIDENCE = 0.9;
const RESAMPLES = 2000;

/**
 * Measures issue 12's "at most 5 % slower" on its own: on this kind of machine one round of one process pair moves by
 * more than 5 %, and a process can settle into a slower JIT state for its whole life, so plain and governed are loaded
 * in short alternated slices, in several pairs of processes, and the verdict comes with an interval. The product
 * floor's pairs are all fresh processes; Switchyard's first pair is the harness's own.
 */
export async function runGovernanceCost(harness: Harness, workload: Workload, options: GovernanceCostOptions, subject: GovernanceSubject = 'switchyard'): Promise<GovernanceCostResult> {
  const started: BenchChild[] = [];
  const sides: [Side, Side][] = [];
  const own = (name: Target['name']): Side => {
    const target = harness.targets.find((candidate) => candidate.name === name);
    if (target?.pid === undefined) throw new Error(`the harness has no ${name} process`);
    return { ...target, pid: target.pid };
  };
  if (subject === 'switchyard') sides.push([own('switchyard'), own('switchyard-governed')]);
  const upstreamOrigin = harness.upstream.origin;
  const side = (child: BenchChild, name: Target['name']): Side => ({
    name,
    origin: child.origin,
    upstreamOrigin,
    pid: child.pid,
    ...(child.apiKey === undefined ? {} : { apiKey: child.apiKey }),
  });
  const startPair = async (pair: number): Promise<[Side, Side]> => {
    const spec = pairSpec(subject, upstreamOrigin);
    const plain = await startChild(`${spec.plain}-${pair}`, spec.script, spec.plainArgs, spec.execArgv);
    started.push(plain);
    const governed = await startChild(`${spec.plain}-governed-${pair}`, spec.script, spec.governedArgs, spec.execArgv);
    started.push(governed);
    return [side(plain, spec.plain), side(governed, spec.governed)];
  };
  const ratios: number[][] = [];
  const cpuRatios: number[][] = [];
  let errors = 0;
  const pools = new Map<Side, ReturnType<typeof openPool>>();
  const load = async (of: Side, ms: number): Promise<{ rps: number; cpuUs: number }> => {
    let pool = pools.get(of);
    if (!pool) {
      pool = openPool(of.origin, options.connections);
      pools.set(of, pool);
    }
    const before = procCpuMs(of.pid);
    const result = await runClosedLoop(pool, requestFor(of, workload), options.connections, ms);
    errors += result.errors;
    return { rps: result.requests / result.seconds, cpuUs: ((procCpuMs(of.pid) - before) * 1000) / result.requests };
  };
  try {
    for (let pair = 0; pair < options.pairs; pair += 1) {
      if (sides.length <= pair) sides.push(await startPair(pair));
      const [plain, governed] = sides[pair] as [Side, Side];
      for (let part = 0; part < 3; part += 1) {
        await load(plain, options.warmupMs / 3);
        await load(governed, options.warmupMs / 3);
      }
      const pairRatios: number[] = [];
      const pairCpu: number[] = [];
      for (let slice = 0; slice < options.slices; slice += 1) {
        // Either order half the time: a machine that drifts within a slice pair favours neither.
        const plainFirst = slice % 2 === 0;
        const first = await load(plainFirst ? plain : governed, options.sliceMs);
        const second = await load(plainFirst ? governed : plain, options.sliceMs);
        const [p, g] = plainFirst ? [first, second] : [second, first];
        pairRatios.push(g.rps / p.rps);
        if (Number.isFinite(p.cpuUs) && Number.isFinite(g.cpuUs)) pairCpu.push(p.cpuUs / g.cpuUs);
      }
      ratios.push(pairRatios);
      cpuRatios.push(pairCpu);
    }
  } finally {
    await Promise.all([...pools.values()].map((pool) => pool.destroy()));
    for (const child of started) await child.stop();
  }
  const random = seededRandom(12);
  const interval = groupedMedianInterval(ratios, CONFIDENCE, RESAMPLES, random);
  const cpuInterval = groupedMedianInterval(cpuRatios, CONFIDENCE, RESAMPLES, random);
  return {
    subject,
    workload,
    connections: options.connections,
    pairs: options.pairs,
    slices: options.slices,
    sliceMs: options.sliceMs,
    ratio: median(ratios.flat()),
    low: interval.low,
    high: interval.high,
    cpuRatio: median(cpuRatios.flat()),
    cpuLow: cpuInterval.low,
    cpuHigh: cpuInterval.high,
    pairRatios: ratios.map((pair) => median(pair)),
    errors,
  };
}
