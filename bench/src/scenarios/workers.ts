import { availableParallelism } from 'node:os';
import { startCliGateway, type CliGateway } from '../cli-gateway.js';
import type { Harness } from '../harness.js';
import { openPool, runClosedLoop } from '../load-generator.js';
import { median, percentile } from '../stats.js';
import { requestFor } from '../targets.js';

/** One worker count's medians over the rounds. */
export interface WorkersRow {
  workers: number;
  requestsPerSecond: number;
  p50Ms: number;
  errors: number;
}

/** The workers scenario's result: the same realistic gateway with 1 and with 2 worker processes. */
export interface WorkersResult {
  connections: number;
  rounds: number;
  /** Cores the machine offers (availableParallelism), which `--workers auto` would start. */
  cores: number;
  rows: WorkersRow[];
  /** 2 workers' req/s over 1 worker's in the same round, median over the rounds. */
  ratio: number;
}

export interface WorkersOptions {
  connections: number;
  rounds: number;
  roundMs: number;
  warmupMs: number;
}

const WORKER_COUNTS = [1, 2] as const;

/**
 * Issue 17's `--workers` target: throughput of `switchyard start --workers 1` and `--workers 2` (the CLI, realistic
 * config, each with a fresh store and key), closed loop on the same connection count, interleaved round by round with
 * the order alternating so neither always runs first.
 */
export async function runWorkers(harness: Harness, options: WorkersOptions): Promise<WorkersResult> {
  const gateways: CliGateway[] = [];
  try {
    for (const workers of WORKER_COUNTS) gateways.push(await startCliGateway(harness.upstream.origin, workers));
    const runs = gateways.map((gateway) => {
      // The realistic target's request (its alias and key); the pools are this scenario's own.
      const spec = requestFor({ name: 'switchyard-keys', origin: gateway.origin, upstreamOrigin: harness.upstream.origin, apiKey: gateway.apiKey }, 'chat');
      const pool = openPool(gateway.origin, options.connections);
      return { gateway, spec, pool, rps: [] as number[], p50: [] as number[], errors: 0 };
    });
    try {
      for (const run of runs) await runClosedLoop(run.pool, run.spec, options.connections, options.warmupMs);
      const ratios: number[] = [];
      for (let round = 0; round < options.rounds; round += 1) {
        const order = round % 2 === 0 ? runs : [...runs].reverse();
        for (const run of order) {
          const result = await runClosedLoop(run.pool, run.spec, options.connections, options.roundMs);
          run.rps.push(result.requests / result.seconds);
          run.p50.push(percentile(result.latenciesMs, 50));
          run.errors += result.errors;
        }
        const [one, two] = runs;
        if (one && two) ratios.push((two.rps.at(-1) ?? Number.NaN) / (one.rps.at(-1) ?? Number.NaN));
      }
      return {
        connections: options.connections,
        rounds: options.rounds,
        cores: availableParallelism(),
        rows: runs.map((run) => ({ workers: run.gateway.workers, requestsPerSecond: median(run.rps), p50Ms: median(run.p50), errors: run.errors })),
        ratio: median(ratios),
      };
    } finally {
      await Promise.all(runs.map((run) => run.pool.destroy()));
    }
  } finally {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
  }
}
