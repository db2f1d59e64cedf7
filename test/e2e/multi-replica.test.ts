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

function breaker(failureModel: string, threshold = 2): string {
  return `    targets: [{ provider: primary, model: ${failureModel} }, { provider: backup, model: echo }]\n    retry: { attempts: 1 }\n    breaker: { failure_threshold: ${threshold}, cooldown_ms: 600000 }\n`;
}

async function admin(replica: Replica, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${replica.url}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

/** A key created through the first replica, once every replica knows it. */
async function createKey(spec: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const { json } = await admin(replicas[0] as Replica, 'POST', '/keys', spec);
  const key = { id: (json.data as { id: string }).id, secret: json.secret as string };
  for (const replica of replicas) await untilPasses(async () => expect((await admin(replica, 'GET', `/keys/${key.id}`)).status).toBe(200), 3000);
  return key;
}

/** One request with a virtual key: its status (200 served, 429 refused). */
async function askWithKey(replica: Replica, secret: string): Promise<number> {
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${secret}` },
    body: JSON.stringify({ model: 'backup/echo', messages: [{ role: 'user', content: 'counted' }] }),
  });
  await response.text();
  const id = response.headers.get('x-request-id');
  if (id && response.status === 200) answeredIds.push(id);
  return response.status;
}

/** The bandit evidence a replica routes `learner` on: observations per target. */
async function banditObservations(replica: Replica): Promise<Record<string, number>> {
  const { json } = await admin(replica, 'GET', '/routing');
  const alias = (json.aliases as Array<{ alias: string; bandit?: { classes: Array<{ taskClass: string; weights: Array<{ target: string; observations: number }> }> } }>).find((a) => a.alias === 'learner');
  const weights = alias?.bandit?.classes.find((c) => c.taskClass === '*')?.weights ?? [];
  return Object.fromEntries(weights.map((w) => [w.target, w.observations]));
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
      `  guarded-spread:\n${breaker('gpt-4o-mini', 3)}`,
      '  learner:',
      '    strategy: bandit',
      '    bandit: { exploration: 0, half_life: 1000000 }',
      '    targets: [{ provider: backup, model: echo }, { provider: backup, model: lorem }]',
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

  it('failures spread over the three replicas at once add up and open the breaker on all of them', async () => {
    upstream.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 500 }, { kind: 'error', status: 500 });
    // One failure on each replica, at the same moment: none of them alone reaches the threshold of 3.
    const answers = await Promise.all(replicas.map((replica) => ask(replica, 'guarded-spread')));
    expect(answers.every((answer) => answer.status === 200 && answer.provider === 'backup')).toBe(true);
    const failed = Date.now();
    for (const replica of replicas) await untilPasses(async () => expect(await breakerState(replica, 'gpt-4o-mini')).toBe('open'), 2000);
    console.log(`breaker opened on all three replicas ${Date.now() - failed} ms after one failure on each`);
    const hits = upstream.requests.length;
    for (const replica of replicas) expect(await ask(replica, 'guarded-spread')).toMatchObject({ status: 200, provider: 'backup' });
    expect(upstream.requests.length).toBe(hits);
  }, 20_000);

  it('bandit weights learned through one are used by the others, and feedback given on all three at once all counts', async () => {
    const [one, two, three] = replicas as [Replica, Replica, Replica];
    const feedback = async (replica: Replica): Promise<void> => {
      const answer = await ask(replica, 'learner');
      expect(answer.status).toBe(200);
      const response = await fetch(`${replica.url}/v1/feedback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ request_id: answer.id, score: 1 }),
      });
      expect(response.status).toBe(200);
    };
    await feedback(one);
    await untilPasses(async () => {
      for (const replica of [two, three]) expect(Object.values(await banditObservations(replica)).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 3);
    }, 3000);
    // Two feedback events through each replica, all at once, on the same alias and task class.
    await Promise.all(replicas.flatMap((replica) => [feedback(replica), feedback(replica)]));
    await untilPasses(async () => {
      for (const replica of replicas) expect(Object.values(await banditObservations(replica)).reduce((a, b) => a + b, 0)).toBeCloseTo(7, 3);
    }, 3000);
  }, 20_000);

  it('measures how far a key\u2019s RPM limit is overshot by three replicas under concurrent load', async () => {
    const limit = 30;
    const n = replicas.length;
    // Burst: every replica gets the whole limit's worth at once, before any of them has synced the window.
    const burst = await createKey({ name: 'rpm-burst', rpm: limit });
    const burstStatuses = await Promise.all(replicas.flatMap((replica) => Array.from({ length: 2 * limit }, () => askWithKey(replica, burst.secret))));
    const burstAdmitted = burstStatuses.filter((status) => status === 200).length;
    expect(burstStatuses.every((status) => status === 200 || status === 429)).toBe(true);
    // Sustained: once each replica has counted the bucket, four workers per replica send one after another.
    const paced = await createKey({ name: 'rpm-paced', rpm: limit });
    const warm = await Promise.all(replicas.map((replica) => askWithKey(replica, paced.secret)));
    await new Promise((resolve) => setTimeout(resolve, 300));
    let pacedAdmitted = warm.filter((status) => status === 200).length;
    let refusedInARow = 0;
    await Promise.all(
      replicas.flatMap((replica) =>
        Array.from({ length: 4 }, async () => {
          // Until every worker has seen the fleet's window full a few times over.
          while (refusedInARow < 12 * n) {
            const status = await askWithKey(replica, paced.secret);
            if (status === 200) {
              pacedAdmitted++;
              refusedInARow = 0;
            } else refusedInARow++;
          }
        }),
      ),
    );
    console.log(
      `RPM ${limit} across ${n} replicas (sync 50 ms): burst of ${burstStatuses.length} at once admitted ${burstAdmitted} (overshoot ${burstAdmitted - limit}, documented bound ${(n - 1) * limit}); ` +
        `sustained 4 workers per replica admitted ${pacedAdmitted} (overshoot ${pacedAdmitted - limit})`,
    );
    expect(burstAdmitted).toBeGreaterThanOrEqual(limit);
    expect(burstAdmitted).toBeLessThanOrEqual(limit + (n - 1) * limit);
    expect(pacedAdmitted).toBeGreaterThanOrEqual(limit);
    expect(pacedAdmitted).toBeLessThanOrEqual(limit + (n - 1) * limit);
  }, 60_000);

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
