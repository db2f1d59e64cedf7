import { startChild } from '../child-process.js';
import type { Harness } from '../harness.js';
import { openPool, runClosedLoop } from '../load-generator.js';
import { median, percentile } from '../stats.js';
import { requestFor } from '../targets.js';

export interface BatchBesideOptions {
  rounds: number;
  roundMs: number;
  warmupMs: number;
  /** Live connections (closed loop). */
  connections: number;
  /** Lines per batch job: enough that the job outlasts a measured window. */
  lines: number;
}

/** Live latency without and with a batch job running beside it, medians over the rounds. */
export interface BatchBesideResult {
  rounds: number;
  connections: number;
  lines: number;
  withoutP50Ms: number;
  withoutP99Ms: number;
  withP50Ms: number;
  withP99Ms: number;
  /** With minus without, in the same round. */
  addedP50Ms: number;
  addedP99Ms: number;
  /** Batch lines finished per second while the live load was measured beside them. */
  batchLinesPerSecond: number;
  /** Rounds whose job finished before the window ended (the tail of that window ran without a batch). */
  roundsBatchEndedEarly: number;
  requests: number;
  errors: number;
}

interface BatchView {
  id: string;
  status: string;
  request_counts: { total: number; completed: number; failed: number };
}

/** The batch lines: the same request the live load sends, to the same deployment, each under its own custom_id. */
function batchFile(lines: number, body: string): Blob {
  const parsed: unknown = JSON.parse(body);
  const rows = Array.from({ length: lines }, (_, i) => JSON.stringify({ custom_id: `bench-${i}`, method: 'POST', url: '/v1/chat/completions', body: parsed }));
  return new Blob([rows.join('\n')], { type: 'application/jsonl' });
}

async function call<T>(origin: string, path: string, init: RequestInit = {}): Promise<T> {
  const response = await fetch(`${origin}${path}`, init);
  if (!response.ok) throw new Error(`${init.method ?? 'GET'} ${path}: ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

/** Uploads the file and starts the job; resolves once its first lines are done, so the lane is busy. */
async function startBatch(origin: string, file: Blob): Promise<BatchView> {
  const form = new FormData();
  form.set('purpose', 'batch');
  form.set('file', file, 'bench.jsonl');
  const uploaded = await call<{ id: string }>(origin, '/v1/files', { method: 'POST', body: form });
  const created = await call<BatchView>(origin, '/v1/batches', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ input_file_id: uploaded.id, endpoint: '/v1/chat/completions', completion_window: '24h' }),
  });
  for (;;) {
    const seen = await call<BatchView>(origin, `/v1/batches/${created.id}`);
    if (seen.request_counts.completed > 0 || seen.status !== 'in_progress') return seen;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Cancels the job and waits for its end, so the next window runs without it. */
async function stopBatch(origin: string, id: string): Promise<void> {
  await call<BatchView>(origin, `/v1/batches/${id}/cancel`, { method: 'POST' }).catch(() => undefined);
  for (;;) {
    const seen = await call<BatchView>(origin, `/v1/batches/${id}`);
    if (['completed', 'cancelled', 'failed', 'expired'].includes(seen.status)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * One Switchyard of its own (plain config plus a SQLite store, batch lane at its defaults): live chat requests at
 * `connections`, in each round first alone, then beside a batch job of `lines` lines to the same deployment on the
 * same fake upstream, cancelled before the next round. Reports live latency without and with the batch and the
 * difference within each round (median over rounds), and the batch's pace meanwhile.
 */
export async function runBatchBeside(harness: Harness, options: BatchBesideOptions): Promise<BatchBesideResult> {
  const gateway = await startChild('switchyard-batch', './switchyard-process.js', [harness.upstream.origin, 'batch']);
  // Its own pool: the harness's pools are keyed by target name, and this gateway is not the harness's `switchyard`.
  const pool = openPool(gateway.origin, options.connections);
  try {
    const target = { name: 'switchyard' as const, origin: gateway.origin, upstreamOrigin: harness.upstream.origin };
    const live = requestFor(target, 'chat');
    const file = batchFile(options.lines, live.body);
    const samples = { without50: [] as number[], without99: [] as number[], with50: [] as number[], with99: [] as number[], added50: [] as number[], added99: [] as number[], pace: [] as number[] };
    let requests = 0;
    let errors = 0;
    let endedEarly = 0;
    await runClosedLoop(pool, live, options.connections, options.warmupMs);
    for (let round = 0; round < options.rounds; round += 1) {
      const alone = await runClosedLoop(pool, live, options.connections, options.roundMs);
      const batch = await startBatch(gateway.origin, file);
      const before = batch.request_counts.completed + batch.request_counts.failed;
      const beside = await runClosedLoop(pool, live, options.connections, options.roundMs);
      const after = await call<BatchView>(gateway.origin, `/v1/batches/${batch.id}`);
      if (after.status !== 'in_progress') endedEarly += 1;
      samples.pace.push((after.request_counts.completed + after.request_counts.failed - before) / beside.seconds);
      await stopBatch(gateway.origin, batch.id);
      const [a50, a99, b50, b99] = [percentile(alone.latenciesMs, 50), percentile(alone.latenciesMs, 99), percentile(beside.latenciesMs, 50), percentile(beside.latenciesMs, 99)];
      samples.without50.push(a50);
      samples.without99.push(a99);
      samples.with50.push(b50);
      samples.with99.push(b99);
      samples.added50.push(b50 - a50);
      samples.added99.push(b99 - a99);
      requests += alone.requests + beside.requests;
      errors += alone.errors + beside.errors;
    }
    return {
      rounds: options.rounds,
      connections: options.connections,
      lines: options.lines,
      withoutP50Ms: median(samples.without50),
      withoutP99Ms: median(samples.without99),
      withP50Ms: median(samples.with50),
      withP99Ms: median(samples.with99),
      addedP50Ms: median(samples.added50),
      addedP99Ms: median(samples.added99),
      batchLinesPerSecond: median(samples.pace),
      roundsBatchEndedEarly: endedEarly,
      requests,
      errors,
    };
  } finally {
    await pool.destroy();
    await gateway.stop();
  }
}
