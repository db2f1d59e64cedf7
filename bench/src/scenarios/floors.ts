import { YARDSTICK_EXEC_ARGV, procCpuSplitMs, startChild, type BenchChild } from '../child-process.js';
import type { Harness } from '../harness.js';
import { runClosedLoop, runConcurrentStreams } from '../load-generator.js';
import { median, percentile } from '../stats.js';
import { childTarget, requestFor, type Target, type TargetName } from '../targets.js';

/** One target's medians over the rounds, at concurrency 1 and at 32 connections. */
export interface FloorRow {
  target: string;
  /** Concurrency 1: p50 latency added over direct in the same round. */
  addedP50Ms: number;
  /** 32 connections: requests/s, and over the bare proxy's in the same round. */
  requestsPerSecond: number;
  ratioToProxy: number;
  /**
   * CPU of the target's process (all threads) per streamed chunk, in µs, user and system apart: many streams open at
   * once, a chunk every 20 ms each (proxy, the node floor and Switchyard; NaN for the others).
   */
  chunkUserUs: number;
  chunkSystemUs: number;
  errors: number;
}

/** The floors scenario's result: where a translating gateway's limits lie on this machine. */
export interface FloorsResult {
  rounds: number;
  rows: FloorRow[];
}

export interface FloorsOptions {
  rounds: number;
  roundMs: number;
  warmupMs: number;
  /** Streams open at once in each stream round, and the instant streams each target serves first. */
  streams: number;
  streamWarmup: number;
}

const CONNECTIONS = 32;
/** The fake's stream of 50 deltas 20 ms apart: dense enough that chunks, not setups, are most of a stream's CPU. */
const CHUNKED_MODEL = 's50i20';
const CHUNKS_PER_STREAM = 50;
const STREAM_RAMP_MS = 300;

/**
 * CPU per chunk of each target that relays streams, rounds rotating the order: user time is the target's own work per
 * chunk, system time mostly the one write each chunk takes.
 */
async function chunkCosts(harness: Harness, targets: readonly (Target & { pid: number })[], options: FloorsOptions): Promise<Map<string, { user: number[]; system: number[] }>> {
  const costs = new Map(targets.map((t) => [t.name as string, { user: [] as number[], system: [] as number[] }]));
  for (const target of targets) await runConcurrentStreams(harness.pool(target, options.streams), requestFor(target, 'stream', 's64i0'), options.streamWarmup, 1000);
  for (let round = 0; round < options.rounds; round += 1) {
    for (let i = 0; i < targets.length; i += 1) {
      const target = targets[(round + i) % targets.length] as Target & { pid: number };
      const before = procCpuSplitMs(target.pid);
      const results = await runConcurrentStreams(harness.pool(target, options.streams), requestFor(target, 'stream', CHUNKED_MODEL), options.streams, STREAM_RAMP_MS);
      const after = procCpuSplitMs(target.pid);
      const chunks = results.filter((r) => r.ok).length * CHUNKS_PER_STREAM;
      const entry = costs.get(target.name);
      entry?.user.push(((after.userMs - before.userMs) * 1000) / chunks);
      entry?.system.push(((after.systemMs - before.systemMs) * 1000) / chunks);
    }
  }
  return costs;
}

/**
 * Places Switchyard between the bare proxy and three floors, interleaved round by round: two that parse and
 * re-serialise JSON and do nothing else (`floor-gateway.ts`, on node:http and in Fastify), and one that also does the
 * full product's per-request duties in their cheapest form (`floor-product.ts`: key, limits, budget, metrics, the
 * SQLite record). So the distance from the proxy splits into what any gateway reading the request pays, what the
 * framework adds, what the product's duties cost at the least, and what is Switchyard's own; plain, governed and the
 * full product are all measured. Then the same for a streamed chunk: the proxy, the node floor relaying every event
 * parsed, and Switchyard.
 */
export async function runFloors(harness: Harness, options: FloorsOptions): Promise<FloorsResult> {
  const children: BenchChild[] = [];
  try {
    for (const framework of ['node', 'fastify'] as const) {
      children.push(await startChild(`floor-${framework}`, './floor-gateway.js', [harness.upstream.origin, framework], YARDSTICK_EXEC_ARGV));
    }
    children.push(await startChild('floor-product', './floor-product.js', [harness.upstream.origin], YARDSTICK_EXEC_ARGV));
    const floors = children.map((child) => childTarget(child, harness.upstream.origin));
    const pick = (name: TargetName): Target[] => harness.targets.filter((t) => t.name === name);
    const targets = [...pick('direct'), ...pick('proxy'), ...floors, ...pick('switchyard'), ...pick('switchyard-governed'), ...pick('switchyard-keys')];
    const series = new Map(targets.map((t) => [t.name, { added: [] as number[], rps: [] as number[], ratio: [] as number[], errors: 0 }]));
    for (const target of targets) {
      await runClosedLoop(harness.pool(target, 1), requestFor(target, 'chat'), 1, options.warmupMs);
      await runClosedLoop(harness.pool(target, CONNECTIONS), requestFor(target, 'chat'), CONNECTIONS, options.warmupMs);
    }
    for (let round = 0; round < options.rounds; round += 1) {
      const p50 = new Map<string, number>();
      const rps = new Map<string, number>();
      for (const target of targets) {
        const spec = requestFor(target, 'chat');
        const single = await runClosedLoop(harness.pool(target, 1), spec, 1, options.roundMs);
        const loaded = await runClosedLoop(harness.pool(target, CONNECTIONS), spec, CONNECTIONS, options.roundMs);
        p50.set(target.name, percentile(single.latenciesMs, 50));
        rps.set(target.name, loaded.requests / loaded.seconds);
        const entry = series.get(target.name);
        if (entry) entry.errors += single.errors + loaded.errors;
      }
      for (const [name, entry] of series) {
        entry.added.push((p50.get(name) ?? Number.NaN) - (p50.get('direct') ?? Number.NaN));
        entry.rps.push(rps.get(name) ?? Number.NaN);
        entry.ratio.push((rps.get(name) ?? Number.NaN) / (rps.get('proxy') ?? Number.NaN));
      }
    }
    const relaying = [...pick('proxy'), ...floors.filter((t) => t.name === 'floor-node'), ...pick('switchyard')].flatMap((t) =>
      t.pid === undefined ? [] : [{ ...t, pid: t.pid }],
    );
    const chunks = await chunkCosts(harness, relaying, options);
    const rows = [...series].map(([target, e]) => ({
      target,
      addedP50Ms: median(e.added),
      requestsPerSecond: median(e.rps),
      ratioToProxy: median(e.ratio),
      chunkUserUs: median(chunks.get(target)?.user ?? []),
      chunkSystemUs: median(chunks.get(target)?.system ?? []),
      errors: e.errors,
    }));
    return { rounds: options.rounds, rows };
  } finally {
    await Promise.all(children.map((child) => child.stop()));
  }
}
