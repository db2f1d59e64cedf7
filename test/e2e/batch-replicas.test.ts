import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import OpenAI, { toFile } from 'openai';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { E2E_UPSTREAM_KEYS } from '../support/secret-markers.js';
import { startCli } from '../support/start-cli.js';
import { untilPasses } from '../support/until-passes.js';

const databaseUrl = process.env.DATABASE_URL;
if (!databaseUrl) console.log('batch replica tests skipped: DATABASE_URL is not set (eval "$(../shared/ci/services-up.sh)" starts Postgres)');

interface Replica {
  child: ChildProcess;
  url: string;
  /** The fake provider only this replica calls: what it received is what this replica ran. */
  upstream: FakeUpstream;
}

const schema = `sy_batch_replicas_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
const dir = mkdtempSync(join(tmpdir(), 'switchyard-batch-replicas-'));
let replicas: Replica[] = [];

/** Starts a replica on the shared Postgres schema whose provider `up` is its own fake upstream. */
async function startReplica(name: string, batch: string, lineMs = 15): Promise<Replica> {
  const upstream = await startFakeUpstream('openai', { defaultScript: { kind: 'text', text: 'ok', ttftMs: lineMs } });
  const storage = new URL(databaseUrl ?? '');
  storage.searchParams.set('schema', schema);
  const configPath = join(dir, `${name}.yaml`);
  writeFileSync(
    configPath,
    [
      `storage: { url: "${storage.toString()}" }`,
      'logging: { level: warn }',
      `batch: { ${batch} }`,
      'providers:',
      `  up: { type: openai, base_url: "${upstream.url}/v1", api_key: ${E2E_UPSTREAM_KEYS.openai} }`,
      'models:',
      '  bulk:',
      '    targets: [{ provider: up, model: gpt-4o-mini }]',
    ].join('\n'),
  );
  const env = { ...process.env, LOG_LEVEL: 'warn', REDIS_URL: undefined, DATABASE_URL: undefined };
  const started = await startCli(configPath, [], { env }).catch(async (error: unknown) => {
    await upstream.close();
    throw error;
  });
  const replica = { ...started, upstream };
  replicas.push(replica);
  return replica;
}

async function stopReplica(replica: Replica, signal: NodeJS.Signals): Promise<void> {
  if (replica.child.exitCode === null && replica.child.signalCode === null) {
    const exited = once(replica.child, 'exit');
    replica.child.kill(signal);
    await exited;
  }
  await replica.upstream.close();
}

/** Uploads `count` chat lines through the official SDK and creates a batch of them. */
async function submit(client: OpenAI, tag: string, count: number): Promise<string> {
  const rows = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ custom_id: `${tag}-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'bulk', messages: [{ role: 'user', content: `${tag} line ${i}` }] } }),
  );
  const file = await client.files.create({ file: await toFile(Buffer.from(rows.join('\n')), `${tag}.jsonl`), purpose: 'batch' });
  const batch = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
  return batch.id;
}

async function completed(client: OpenAI, id: string, timeoutMs: number): Promise<OpenAI.Batches.Batch> {
  let ended: OpenAI.Batches.Batch | undefined;
  await untilPasses(async () => {
    const seen = await client.batches.retrieve(id);
    expect(seen.status).toBe('completed');
    ended = seen;
  }, timeoutMs);
  return ended as OpenAI.Batches.Batch;
}

async function outputIds(client: OpenAI, batch: OpenAI.Batches.Batch): Promise<string[]> {
  const text = await (await client.files.content(batch.output_file_id as string)).text();
  return text
    .trim()
    .split('\n')
    .map((line) => (JSON.parse(line) as { custom_id: string }).custom_id);
}

/** The user message of every chat request a fake received: which lines that replica ran. */
function linesRun(upstream: FakeUpstream): string[] {
  return upstream.requests
    .filter((request) => request.path.endsWith('/chat/completions'))
    .map((request) => String((request.body as { messages: Array<{ content: string }> }).messages[0]?.content));
}

afterEach(async () => {
  await Promise.all(replicas.map((replica) => stopReplica(replica, 'SIGTERM')));
  replicas = [];
}, 30_000);

afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  if (!databaseUrl) return;
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await client.query(`DROP SCHEMA IF EXISTS "${schema}_pgboss" CASCADE`);
  } finally {
    await client.end();
  }
});

describe.skipIf(!databaseUrl)('batch jobs on two replicas sharing Postgres', () => {
  it('share one job: both run lines, each line runs once, every custom_id is answered exactly once', async () => {
    const LINES = 300;
    const settings = 'poll_ms: 50, concurrency: 4, chunk_size: 5';
    const [one, two] = await Promise.all([startReplica('one', settings), startReplica('two', settings)]);
    const client = new OpenAI({ baseURL: `${one.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const id = await submit(client, 'share', LINES);

    const ended = await completed(new OpenAI({ baseURL: `${two.url}/v1`, apiKey: 'x', maxRetries: 0 }), id, 90_000);
    expect(ended.request_counts).toEqual({ total: LINES, completed: LINES, failed: 0 });
    // Job times are epoch seconds, whichever replica wrote them.
    expect(Math.abs(ended.created_at - Date.now() / 1000)).toBeLessThan(600);
    expect(ended.completed_at).toBeGreaterThanOrEqual(ended.created_at);
    const ids = await outputIds(client, ended);
    expect(ids).toHaveLength(LINES);
    expect(new Set(ids).size).toBe(LINES);
    expect(ended.error_file_id ?? null).toBeNull();

    const ranByOne = linesRun(one.upstream);
    const ranByTwo = linesRun(two.upstream);
    expect(ranByOne.length).toBeGreaterThan(0);
    expect(ranByTwo.length).toBeGreaterThan(0);
    expect(ranByOne.length + ranByTwo.length).toBe(LINES);
    expect(new Set([...ranByOne, ...ranByTwo]).size).toBe(LINES);
  }, 120_000);

  it('take over a SIGKILLed replica\'s lines within the lease, while lines outliving it on a live replica run once', async () => {
    const LINES = 48;
    const LEASE_MS = 3000;
    // Every line takes longer than a lease: only the heartbeat keeps a live replica's lines from being taken over.
    const settings = `poll_ms: 50, concurrency: 8, chunk_size: 4, lease_ms: ${LEASE_MS}`;
    const [one, two] = await Promise.all([startReplica('kill-one', settings, 4000), startReplica('kill-two', settings, 4000)]);
    const client = new OpenAI({ baseURL: `${two.url}/v1`, apiKey: 'x', maxRetries: 0 });
    const id = await submit(client, 'kill', LINES);
    await untilPasses(() => {
      expect(linesRun(one.upstream).length).toBeGreaterThanOrEqual(4);
      expect(linesRun(two.upstream).length).toBeGreaterThanOrEqual(4);
    }, 30_000);

    const db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      const deadOwner = `%:${one.child.pid}`;
      await stopReplica(one, 'SIGKILL');
      const killedAt = Date.now();
      const orphans = (
        await db.query<{ idx: number }>(`SELECT idx FROM "${schema}".batch_lines WHERE job_id = $1 AND state = 'running' AND owner LIKE $2`, [id, deadOwner])
      ).rows.map((row) => row.idx);
      expect(orphans.length).toBeGreaterThan(0);
      // Each orphan is claimed by the live replica (or finished) once its lease lapses: within the lease and a sweep.
      await untilPasses(async () => {
        const { rows } = await db.query<{ n: string }>(`SELECT count(*) AS n FROM "${schema}".batch_lines WHERE job_id = $1 AND owner LIKE $2`, [id, deadOwner]);
        expect(Number(rows[0]?.n)).toBe(0);
      }, LEASE_MS + 5000);
      expect(Date.now() - killedAt).toBeLessThan(LEASE_MS + 5000);

      const ended = await completed(client, id, 60_000);
      expect(ended.request_counts).toEqual({ total: LINES, completed: LINES, failed: 0 });
      const ids = await outputIds(client, ended);
      expect(ids).toHaveLength(LINES);
      expect(new Set(ids).size).toBe(LINES);

      // Only a line the dead replica had in flight may have reached an upstream twice.
      const ran = [...linesRun(one.upstream), ...linesRun(two.upstream)];
      expect(new Set(ran).size).toBe(LINES);
      const twice = ran.filter((content, i) => ran.indexOf(content) !== i).map((content) => Number(content.split(' ').at(-1)));
      expect(twice.every((index) => orphans.includes(index))).toBe(true);
    } finally {
      await db.end();
    }
  }, 120_000);
});
