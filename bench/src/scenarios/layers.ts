import { YARDSTICK_EXEC_ARGV, procCpuMs, startChild } from '../child-process.js';
import { layerCosts, type Layer } from '../cpu-layers.js';
import type { Harness } from '../harness.js';
import { openPool, runClosedLoop } from '../load-generator.js';
import { PERF_MAP_EXEC_ARGV, perfUnavailableReason, readLeafSamples, recordPerf, removePerfFiles } from '../perf-profile.js';
import { childTarget, requestFor, type TargetName } from '../targets.js';

/** One target's CPU per request at 32 connections, split by layer. */
export interface LayersRow {
  target: TargetName;
  requests: number;
  /** All threads of the process, from /proc, over the profiled window. */
  cpuUsPerRequest: number;
  samples: number;
  /** µs per request in each layer; they add up to `cpuUsPerRequest`. */
  layers: Record<Layer, number>;
  errors: number;
}

export interface LayersResult {
  seconds: number;
  rows: LayersRow[];
  /** Why nothing was measured (perf missing or not permitted). */
  skipped?: string;
}

export interface LayersOptions {
  warmupMs: number;
  /** The profiled window, under load, per target. */
  seconds: number;
}

const CONNECTIONS = 32;
/** Started after perf, so its window holds the whole of the load's; perf's sleep outlasts it by this much each side. */
const ATTACH_MS = 300;

interface Subject {
  target: TargetName;
  script: string;
  args: (upstream: string) => string[];
  /** The gateway sets its own V8 flags (`startServer`); the yardsticks get the same one from the harness. */
  yardstick: boolean;
}

const SUBJECTS: readonly Subject[] = [
  { target: 'proxy', script: './bare-proxy.js', args: (up) => [up], yardstick: true },
  { target: 'floor-node', script: './floor-gateway.js', args: (up) => [up, 'node'], yardstick: true },
  { target: 'floor-product', script: './floor-product.js', args: (up) => [up], yardstick: true },
  { target: 'switchyard', script: './switchyard-process.js', args: (up) => [up], yardstick: false },
  { target: 'switchyard-governed', script: './switchyard-process.js', args: (up) => [up, 'governed'], yardstick: false },
  { target: 'switchyard-keys', script: './switchyard-process.js', args: (up) => [up, 'realistic'], yardstick: false },
];

/**
 * Where each target's CPU goes, one target at a time in a fresh process under Linux perf: the proxy, two floors
 * and the three Switchyard configurations at 32 connections of same-format JSON. What the proxy and the floors spend
 * in the kernel, Node and V8 is what a Node process doing their work cannot avoid; the rest of Switchyard's is its own.
 */
export async function runLayers(harness: Harness, options: LayersOptions): Promise<LayersResult> {
  const skipped = perfUnavailableReason();
  if (skipped) return { seconds: options.seconds, rows: [], skipped };
  const rows: LayersRow[] = [];
  for (const subject of SUBJECTS) rows.push(await profileOne(subject, harness.upstream.origin, options));
  return { seconds: options.seconds, rows };
}

/** Starts one subject with its perf map, warms it, samples it under load, stops it and reads the samples. */
async function profileOne(subject: Subject, upstream: string, options: LayersOptions): Promise<LayersRow> {
  const execArgv = [...(subject.yardstick ? YARDSTICK_EXEC_ARGV : []), ...PERF_MAP_EXEC_ARGV];
  const child = await startChild(subject.target, subject.script, subject.args(upstream), execArgv);
  const pool = openPool(child.origin, CONNECTIONS);
  let profiled: Promise<string> | undefined;
  try {
    const spec = requestFor(childTarget(child, upstream), 'chat');
    await runClosedLoop(pool, spec, CONNECTIONS, options.warmupMs);
    profiled = recordPerf(child.pid, options.seconds + (2 * ATTACH_MS) / 1000);
    await new Promise((resolve) => setTimeout(resolve, ATTACH_MS));
    const before = procCpuMs(child.pid);
    const load = await runClosedLoop(pool, spec, CONNECTIONS, options.seconds * 1000);
    const cpuUsPerRequest = ((procCpuMs(child.pid) - before) * 1000) / load.requests;
    const recording = await profiled;
    await pool.destroy();
    // Stopped before the samples are read, so its perf map holds every function it compiled.
    await child.stop();
    const samples = readLeafSamples(recording, child.pid);
    return { target: subject.target, requests: load.requests, cpuUsPerRequest, samples: samples.length, layers: layerCosts(samples, child.pid, cpuUsPerRequest), errors: load.errors };
  } finally {
    if (!pool.destroyed) await pool.destroy();
    await child.stop();
    // perf ends with the process it samples; its file is removed once written.
    await profiled?.catch(() => undefined);
    removePerfFiles(child.pid);
  }
}
