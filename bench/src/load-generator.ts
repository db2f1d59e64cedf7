import { performance } from 'node:perf_hooks';
import { Pool } from 'undici';
import type { RequestSpec } from './targets.js';

/** What one closed-loop run measured. */
export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  /** Per-request latency, request start to last body byte, in ms. */
  latenciesMs: number[];
  /** Per-request time to the first body byte, in ms (only when asked for: reading chunk by chunk costs the client more). */
  firstByteMs: number[];
  /** `x-switchyard-overhead-ms` values, when the target sent them. */
  reportedOverheadMs: number[];
}

/** A keep-alive connection pool to one target, reused across rounds so no round pays for connecting. */
export function openPool(origin: string, connections: number): Pool {
  return new Pool(origin, { connections, pipelining: 1, keepAliveTimeout: 120_000, keepAliveMaxTimeout: 600_000 });
}

/** Pools shared by the scenarios of one run. */
export interface PoolCache {
  /** The pool for a target's origin and connection count, opened on first use. */
  pool(target: { origin: string }, connections: number): Pool;
  destroy(): Promise<void>;
}

/**
 * Pools keyed by origin, not by target name: a scenario that starts a server of its own (a floor) starts a new one
 * under the same name, on a new port, each time it runs.
 */
export function poolCache(): PoolCache {
  const pools = new Map<string, Pool>();
  return {
    pool(target, connections) {
      const key = `${target.origin} ${connections}`;
      let pool = pools.get(key);
      if (!pool) {
        pool = openPool(target.origin, connections);
        pools.set(key, pool);
      }
      return pool;
    },
    async destroy() {
      await Promise.all([...pools.values()].map((pool) => pool.destroy()));
    },
  };
}

/** Reads a body to its end; returns when its first byte arrived (performance.now()). */
async function readTimingFirstByte(body: AsyncIterable<unknown>): Promise<number> {
  let first = Number.NaN;
  for await (const _part of body) if (Number.isNaN(first)) first = performance.now();
  return first;
}

/**
 * Sends requests back to back on `concurrency` connections for `durationMs`; consumes every body. `timeFirstByte`
 * also notes when each body's first byte came (a stream's time to first byte).
 */
export async function runClosedLoop(pool: Pool, spec: RequestSpec, concurrency: number, durationMs: number, timeFirstByte = false): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  const firstByteMs: number[] = [];
  const reportedOverheadMs: number[] = [];
  let errors = 0;
  const started = performance.now();
  const deadline = started + durationMs;
  const worker = async (): Promise<void> => {
    while (performance.now() < deadline) {
      const t0 = performance.now();
      try {
        const res = await pool.request({ path: spec.path, method: 'POST', headers: spec.headers, body: spec.body });
        let first = Number.NaN;
        if (timeFirstByte) first = await readTimingFirstByte(res.body);
        else await res.body.text();
        if (res.statusCode !== 200) {
          errors += 1;
          continue;
        }
        latenciesMs.push(performance.now() - t0);
        if (timeFirstByte) firstByteMs.push(first - t0);
        const overhead = res.headers['x-switchyard-overhead-ms'];
        if (typeof overhead === 'string') reportedOverheadMs.push(Number(overhead));
      } catch {
        errors += 1;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return { requests: latenciesMs.length, errors, seconds: (performance.now() - started) / 1000, latenciesMs, firstByteMs, reportedOverheadMs };
}

/** What one stream saw. */
export interface StreamResult {
  ok: boolean;
  ttftMs: number;
  /** The longest wait for the next bytes, counting the wait for the first. */
  maxGapMs: number;
}

/** Sends one streaming request and times its chunks. */
export async function timeStream(pool: Pool, spec: RequestSpec): Promise<StreamResult> {
  const t0 = performance.now();
  let last = t0;
  let ttftMs = Number.NaN;
  let maxGapMs = 0;
  let tail = '';
  try {
    const res = await pool.request({ path: spec.path, method: 'POST', headers: spec.headers, body: spec.body });
    for await (const part of res.body) {
      const now = performance.now();
      if (Number.isNaN(ttftMs)) ttftMs = now - t0;
      maxGapMs = Math.max(maxGapMs, now - last);
      last = now;
      tail = (tail + (part as Buffer).toString('utf8')).slice(-64);
    }
    return { ok: res.statusCode === 200 && tail.includes('[DONE]'), ttftMs, maxGapMs };
  } catch {
    return { ok: false, ttftMs, maxGapMs: Math.max(maxGapMs, performance.now() - last) };
  }
}

/** Starts `count` streams spread evenly over `rampMs` and waits for all of them. */
export async function runConcurrentStreams(pool: Pool, spec: RequestSpec, count: number, rampMs: number): Promise<StreamResult[]> {
  const runs: Promise<StreamResult>[] = [];
  for (let i = 0; i < count; i += 1) {
    const delay = (i * rampMs) / count;
    runs.push(new Promise((resolve) => setTimeout(resolve, delay)).then(() => timeStream(pool, spec)));
  }
  return Promise.all(runs);
}
