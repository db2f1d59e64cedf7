import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ChildProcess } from 'node:child_process';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { startCli } from '../support/start-cli.js';
import { startOutageProxy } from '../support/tcp-outage-proxy.js';
import { untilPasses } from '../support/until-passes.js';

const redisUrl = process.env.REDIS_URL;
const databaseUrl = process.env.DATABASE_URL;
const skip = !redisUrl ? 'REDIS_URL is not set' : !databaseUrl ? 'DATABASE_URL is not set' : undefined;
if (skip) console.log(`multi-replica tests skipped: ${skip} (eval "$(../shared/ci/services-up.sh)" starts Redis and Postgres)`);

interface Replica {
  child: ChildProcess;
  url: string;
}

interface Answer {
  status: number;
  provider: string | null;
  id: string | null;
}

const ADMIN_KEY = 'replicas-admin-key';
const schema = `sy_replicas_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
let upstream: FakeUpstream;
let proxy: Awaited<ReturnType<typeof startOutageProxy>>;
let replicas: Replica[] = [];
/** Every request id a replica answered, to find each exactly once in Postgres. */
const answeredIds: string[] = [];

async function ask(replica: Replica, model: string): Promise<Answer> {
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  await response.text();
  const id = response.headers.get('x-request-id');
  if (id) answeredIds.push(id);
  return { status: response.status, provider: response.headers.get('x-switchyard-provider'), id };
}

/** The state a replica holds for one deployment's breaker, as `GET /admin/breakers` reports it. */
async function breakerState(replica: Replica, model: string): Promise<string | undefined> {
  const response = await fetch(`${replica.url}/admin/breakers`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  const { data } = (await response.json()) as { data: Array<{ provider: string; model: string; state: string }> };
  return data.find((row) => row.provider === 'primary' && row.model === model)?.state;
}

async function readiness(replica: Replica): Promise<{ status: string; state: string }> {
  return (await (await fetch(`${replica.url}/ready`)).json()) as { status: string; state: string };
}

function breaker(failureModel: string): string {
  return `    targets: [{ provider: primary, model: ${failureModel} }, { provider: backup, model: echo }]\n    retry: { attempts: 1 }\n    breaker: { failure_threshold: 2, cooldown_ms: 600000 }\n`;
}

beforeAll(async () => {
  if (skip) return;
  upstream = await startFakeUpstream('openai');
  const redis = new URL(redisUrl ?? '');
  proxy = await startOutageProxy(new URL(`redis://${redis.hostname}:${redis.port || 6379}`));
  const storage = new URL(databaseUrl ?? '');
  storage.searchParams.set('schema', schema);
  const dir = mkdtempSync(join(tmpdir(), 'switchyard-replicas-'));
  const configPath = join(dir, 'switchyard.yaml');
  writeFileSync(
    configPath,
    [
      `storage: { url: "${storage.toString()}" }`,
      `state: { url: "redis://127.0.0.1:${proxy.port}", prefix: "sy-replicas-${randomUUID()}:", sync_interval_ms: 50 }`,
      'logging: { level: warn }',
      `server: { admin_key: ${ADMIN_KEY} }`,
      'providers:',
      `  primary: { type: openai, base_url: "${upstream.url}/v1", api_key: sk-test-replicas }`,
      '  backup: { type: simulated }',
      'models:',
      `  guarded:\n${breaker('gpt-4o')}`,
      `  guarded-later:\n${breaker('gpt-4.1')}`,
    ].join('\n'),
  );
  const env = { ...process.env, LOG_LEVEL: 'warn', REDIS_URL: undefined, DATABASE_URL: undefined };
  const started = await Promise.allSettled([0, 1, 2].map(() => startCli(configPath, [], { env })));
  // Replicas that did start are stopped by afterAll even when another one did not.
  replicas = started.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
  const failed = started.find((result) => result.status === 'rejected');
  if (failed) throw failed.reason;
  // The warm-up's requests reach the fake too; scripts enqueued later must go to the requests under test.
  for (const replica of replicas) await untilPasses(async () => expect(await readiness(replica)).toMatchObject({ status: 'ready', state: 'shared' }), 10_000);
}, 60_000);

afterAll(async () => {
  await Promise.all(
    replicas.map(async ({ child }) => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    }),
  );
  await upstream?.close();
  await proxy?.close();
});

describe.skipIf(skip !== undefined)('three gateway replicas sharing Redis and Postgres', () => {
  it('a breaker opened through one replica is honoured by the other two within a second', async () => {
    const [one, two, three] = replicas as [Replica, Replica, Replica];
    upstream.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 500 });
    for (let i = 0; i < 2; i++) expect(await ask(one, 'guarded')).toMatchObject({ status: 200, provider: 'backup' });
    const opened = Date.now();
    const hits = upstream.requests.length;
    // The broadcast reaches the others asynchronously: wait for it (asking meanwhile would race it), then prove it rules.
    await untilPasses(async () => {
      expect(await breakerState(two, 'gpt-4o')).toBe('open');
      expect(await breakerState(three, 'gpt-4o')).toBe('open');
    }, 1000);
    expect(Date.now() - opened).toBeLessThan(1000);
    // The fake now answers every request: a replica that still tried the primary would be served by it.
    expect(await ask(two, 'guarded')).toMatchObject({ status: 200, provider: 'backup' });
    expect(await ask(three, 'guarded')).toMatchObject({ status: 200, provider: 'backup' });
    expect(upstream.requests.length).toBe(hits);
  }, 20_000);

  it('serves throughout a Redis outage mid-load, reports degraded, and resynchronises when Redis returns', async () => {
    const [one, two, three] = replicas as [Replica, Replica, Replica];
    const load = async (count: number): Promise<number[]> =>
      Promise.all(Array.from({ length: count }, (_, i) => ask(replicas[i % 3] as Replica, 'backup/echo').then((answer) => answer.status)));

    const before = load(30);
    proxy.setUp(false);
    const during = load(30);
    await untilPasses(async () => expect(await readiness(two)).toEqual(expect.objectContaining({ status: 'degraded', state: 'degraded' })), 5000);
    const metrics = await (await fetch(`${two.url}/metrics`)).text();
    expect(metrics).toMatch(/^switchyard_state_store_up\{backend="redis"\} 0$/m);
    // A breaker opened on one replica while Redis is away lives in its local state only…
    upstream.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 500 });
    for (let i = 0; i < 2; i++) expect(await ask(one, 'guarded-later')).toMatchObject({ status: 200, provider: 'backup' });
    expect([...(await before), ...(await during)].every((status) => status === 200)).toBe(true);

    proxy.setUp(true);
    const after = load(30);
    for (const replica of replicas) await untilPasses(async () => expect(await readiness(replica)).toEqual(expect.objectContaining({ state: 'shared' })), 5000);
    // …and reaches the others once it returns.
    for (const replica of [two, three]) {
      // Documented worst case: the 5 s read-back.
      await untilPasses(async () => expect(await ask(replica, 'guarded-later')).toMatchObject({ status: 200, provider: 'backup' }), 6000);
    }
    expect((await after).every((status) => status === 200)).toBe(true);
  }, 30_000);

  it('every request answered by the three lands exactly once in Postgres', async () => {
    await Promise.all(
      replicas.map(async ({ child }) => {
        const exited = once(child, 'exit');
        child.kill('SIGTERM');
        await exited;
      }),
    );
    const client = new pg.Client({ connectionString: databaseUrl });
    await client.connect();
    try {
      const { rows } = await client.query<{ id: string; n: string }>(`SELECT id, count(*) AS n FROM "${schema}".request_log WHERE id = ANY($1) GROUP BY id`, [answeredIds]);
      expect(answeredIds.length).toBeGreaterThan(90);
      expect(rows).toHaveLength(new Set(answeredIds).size);
      expect(rows.every((row) => Number(row.n) === 1)).toBe(true);
    } finally {
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    }
  }, 30_000);
});
