import { startChild, type BenchChild } from '../child-process.js';
import type { Harness } from '../harness.js';
import type { Pool } from 'undici';
import { openPool, runClosedLoop } from '../load-generator.js';
import { median, percentile } from '../stats.js';
import { requestFor, type Target } from '../targets.js';

/** One target's medians over the rounds, at concurrency 1 and at 32 connections. */
export interface FloorRow {
  target: string;
  /** Concurrency 1: p50 latency added over direct in the same round. */
  addedP50Ms: number;
  /** 32 connections: requests/s, and over the bare proxy's in the same round. */
  requestsPerSecond: number;
  ratioToProxy: number;
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
}

const CONNECTIONS = 32;

/**
 * Places Switchyard between the bare proxy and two floors that parse and re-serialise JSON and do nothing else
 * (`floor-gateway.ts`, on node:http and in Fastify), interleaved round by round: the distance from the proxy that any
 * gateway reading the request pays, the part the framework adds, and the part that is Switchyard's own.
 */
export async function runFloors(harness: Harness, options: FloorsOptions): Promise<FloorsResult> {
  const children: BenchChild[] = [];
  const pools = new Map<string, Pool>();
  // Floors are sent the direct request, so pools are kept per label rather than per target name.
  const pool = (label: string, target: Target, connections: number): Pool => {
    const key = `${label}:${connections}`;
    let found = pools.get(key);
    if (!found) {
      found = openPool(target.origin, connections);
      pools.set(key, found);
    }
    return found;
  };
  try {
    for (const framework of ['node', 'fastify'] as const) {
      children.push(await startChild(`floor-${framework}`, './floor-gateway.js', [harness.upstream.origin, framework]));
    }
    const byName = (name: string): Target | undefined => harness.targets.find((t) => t.name === name);
    const floors: Target[] = children.map((child) => ({ name: 'direct', origin: child.origin, upstreamOrigin: harness.upstream.origin }));
    const targets: { label: string; target: Target }[] = [
      ...(['direct', 'proxy'] as const).flatMap((name) => {
        const target = byName(name);
        return target ? [{ label: name, target }] : [];
      }),
      ...children.map((child, i) => ({ label: child.name, target: floors[i] as Target })),
      ...(byName('switchyard') ? [{ label: 'switchyard', target: byName('switchyard') as Target }] : []),
    ];
    const series = new Map(targets.map(({ label }) => [label, { added: [] as number[], rps: [] as number[], ratio: [] as number[], errors: 0 }]));
    for (const { label, target } of targets) {
      await runClosedLoop(pool(label, target, 1), requestFor(target, 'chat'), 1, options.warmupMs);
      await runClosedLoop(pool(label, target, CONNECTIONS), requestFor(target, 'chat'), CONNECTIONS, options.warmupMs);
    }
    for (let round = 0; round < options.rounds; round += 1) {
      const p50 = new Map<string, number>();
      const rps = new Map<string, number>();
      for (const { label, target } of targets) {
        const spec = requestFor(target, 'chat');
        const single = await runClosedLoop(pool(label, target, 1), spec, 1, options.roundMs);
        const loaded = await runClosedLoop(pool(label, target, CONNECTIONS), spec, CONNECTIONS, options.roundMs);
        p50.set(label, percentile(single.latenciesMs, 50));
        rps.set(label, loaded.requests / loaded.seconds);
        const entry = series.get(label);
        if (entry) entry.errors += single.errors + loaded.errors;
      }
      for (const [label, entry] of series) {
        entry.added.push((p50.get(label) ?? Number.NaN) - (p50.get('direct') ?? Number.NaN));
        entry.rps.push(rps.get(label) ?? Number.NaN);
        entry.ratio.push((rps.get(label) ?? Number.NaN) / (rps.get('proxy') ?? Number.NaN));
      }
    }
    const rows = [...series].map(([target, e]) => ({
      target,
      addedP50Ms: median(e.added),
      requestsPerSecond: median(e.rps),
      ratioToProxy: median(e.ratio),
      errors: e.errors,
    }));
    return { rounds: options.rounds, rows };
  } finally {
    await Promise.all([...pools.values()].map((p) => p.destroy()));
    await Promise.all(children.map((child) => child.stop()));
  }
}
