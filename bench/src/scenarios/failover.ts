import type { Harness } from '../harness.js';
import { runClosedLoop } from '../load-generator.js';
import { median, percentile } from '../stats.js';
import type { RequestSpec } from '../targets.js';

/** One failover case: its alias in the bench config and what it models. */
interface FailoverCase {
  alias: string;
  label: string;
}

const CASES: FailoverCase[] = [
  { alias: 'fo-healthy', label: 'healthy primary' },
  { alias: 'fo-refused', label: 'primary refuses connections' },
  { alias: 'fo-503', label: 'primary answers 503' },
  { alias: 'fo-breaker', label: 'primary dead, breaker open' },
];

export interface FailoverRow {
  label: string;
  alias: string;
  p50Ms: number;
  p99Ms: number;
  /** Over the healthy primary, measured in the same round. */
  addedP50Ms: number;
  addedP99Ms: number;
  requests: number;
  errors: number;
}

export interface FailoverResult {
  rounds: number;
  rows: FailoverRow[];
}

export interface FailoverOptions {
  rounds: number;
  roundMs: number;
  warmupMs: number;
}

function chatTo(alias: string): RequestSpec {
  return {
    path: '/v1/chat/completions',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model: alias, messages: [{ role: 'user', content: 'Say hi.' }], max_tokens: 16 }),
  };
}

/**
 * Concurrency 1 through Switchyard only: the latency a client sees when the primary target is down (connection refused,
 * or HTTP 503) and the request fails over to a healthy fallback, against a healthy primary in the same round; and with
 * the primary's breaker open, where failover should cost nothing.
 */
export async function runFailover(harness: Harness, options: FailoverOptions): Promise<FailoverResult> {
  const switchyard = harness.targets.find((t) => t.name === 'switchyard');
  if (!switchyard) throw new Error('failover needs the switchyard target');
  const pool = harness.pool(switchyard, 1);
  const samples = new Map(CASES.map((c) => [c.alias, { p50: [] as number[], p99: [] as number[], added50: [] as number[], added99: [] as number[], requests: 0, errors: 0 }]));
  for (const c of CASES) await runClosedLoop(pool, chatTo(c.alias), 1, options.warmupMs);
  for (let round = 0; round < options.rounds; round += 1) {
    let healthy50 = Number.NaN;
    let healthy99 = Number.NaN;
    for (const c of CASES) {
      const result = await runClosedLoop(pool, chatTo(c.alias), 1, options.roundMs);
      const entry = samples.get(c.alias);
      if (!entry) continue;
      const p50 = percentile(result.latenciesMs, 50);
      const p99 = percentile(result.latenciesMs, 99);
      if (c.alias === 'fo-healthy') {
        healthy50 = p50;
        healthy99 = p99;
      }
      entry.p50.push(p50);
      entry.p99.push(p99);
      entry.added50.push(p50 - healthy50);
      entry.added99.push(p99 - healthy99);
      entry.requests += result.requests;
      entry.errors += result.errors;
    }
  }
  const rows = CASES.map((c) => {
    const e = samples.get(c.alias);
    return {
      label: c.label,
      alias: c.alias,
      p50Ms: median(e?.p50 ?? []),
      p99Ms: median(e?.p99 ?? []),
      addedP50Ms: median(e?.added50 ?? []),
      addedP99Ms: median(e?.added99 ?? []),
      requests: e?.requests ?? 0,
      errors: e?.errors ?? 0,
    };
  });
  return { rounds: options.rounds, rows };
}
