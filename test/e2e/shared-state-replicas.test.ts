import { randomUUID } from 'node:crypto';
import OpenAI from 'openai';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { untilPasses } from '../support/until-passes.js';
import { PRICED_SIM_PROVIDER } from '../support/priced-simulated-provider.js';

const redisUrl = process.env.REDIS_URL;
const databaseUrl = process.env.DATABASE_URL;
const skip = !redisUrl ? 'REDIS_URL is not set' : !databaseUrl ? 'DATABASE_URL is not set' : undefined;
if (skip) console.log(`shared-state replica tests skipped: ${skip} (eval "$(../shared/ci/services-up.sh)" starts Redis and Postgres)`);

const ADMIN = 'admin-key-shared-replicas';
const SYNC_MS = 50;
/** Longer than a sync interval and its round trip: what one replica did is known to the other by then. */
const SETTLE_MS = 4 * SYNC_MS;
const OK = { kind: 'text', text: 'ok', usage: { input: 10, output: 2 } } as const;

const schemas: string[] = [];
let first: FakeUpstream;
let second: FakeUpstream;
const replicas: TestGateway[] = [];

// Each request of `priced` uses 10 input + 5 output tokens at $1,000 / $2,000 per million: $0.02, estimated ~$0.018.
function config(schema: string, prefix: string): string {
  const storage = new URL(databaseUrl ?? '');
  storage.searchParams.set('schema', schema);
  return `
server: { admin_key: ${ADMIN} }
storage: { url: "${storage.toString()}" }
state: { url: "${redisUrl}", prefix: "${prefix}", sync_interval_ms: ${SYNC_MS} }
defaults:
  retry: { attempts: 1 }
providers:
${PRICED_SIM_PROVIDER}
  first: { type: openai, base_url: "${first.url}/v1", api_key: sk-shared-replicas-first }
  second: { type: openai, base_url: "${second.url}/v1", api_key: sk-shared-replicas-second }
models:
  main: { targets: [{ provider: sim, model: priced }] }
  chat:
    sticky: { ttl_ms: 60000 }
    targets: [{ provider: first, model: gpt-4o }, { provider: second, model: gpt-4o }]
  cached:
    cache: { ttl_ms: 60000 }
    targets: [{ provider: first, model: gpt-4o-mini }]
`;
}

/** Two gateways on one Redis prefix and one Postgres schema, as two replicas behind a load balancer. */
async function startReplicas(): Promise<[TestGateway, TestGateway]> {
  const schema = `sy_shared_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  schemas.push(schema);
  const text = config(schema, `sy-shared-${randomUUID()}:`);
  const one = await startTestGateway(text);
  const two = await startTestGateway(text);
  replicas.push(one, two);
  return [one, two];
}

async function admin(replica: TestGateway, method: string, path: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${replica.url}/admin${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

async function createKey(replica: TestGateway, spec: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const { json } = await admin(replica, 'POST', '/keys', spec);
  return { id: (json.data as { id: string }).id, secret: json.secret as string };
}

/** One request; 'ok' or the error code it was refused with. */
async function outcome(replica: TestGateway, apiKey: string, model = 'main'): Promise<string> {
  const client = new OpenAI({ baseURL: `${replica.url}/v1`, apiKey, maxRetries: 0 });
  try {
    await client.chat.completions.create({ model, max_tokens: 5, messages: [{ role: 'user', content: 'shared' }] });
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? (error as { status?: number }).status?.toString() ?? String(error);
  }
}

/** Sends `count` requests alternating between the replicas, one sync apart, and lists their outcomes. */
async function alternate(pair: readonly TestGateway[], apiKey: string, count: number): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < count; i++) {
    outcomes.push(await outcome(pair[i % 2] as TestGateway, apiKey));
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  }
  return outcomes;
}

async function chat(replica: TestGateway, model: string, headers: Record<string, string>): Promise<{ provider: string | null; cache: string | null }> {
  const response = await fetch(`${replica.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'same question' }] }),
  });
  expect(response.status).toBe(200);
  await response.text();
  return { provider: response.headers.get('x-switchyard-provider'), cache: response.headers.get('x-switchyard-cache') };
}

beforeAll(async () => {
  if (skip) return;
  [first, second] = await Promise.all([startFakeUpstream('openai', { defaultScript: OK }), startFakeUpstream('openai', { defaultScript: OK })]);
});

afterEach(async () => {
  await Promise.all(replicas.splice(0).map((replica) => replica.close()));
});

afterAll(async () => {
  if (skip) return;
  await Promise.all([first.close(), second.close()]);
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  for (const schema of schemas) await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await client.end();
});

describe.skipIf(skip !== undefined)('two replicas sharing Redis and Postgres', () => {
  it('a key revoked through one replica is refused by the other within a second', async () => {
    const [one, two] = await startReplicas();
    const key = await createKey(one, { name: 'revoked-across' });
    await untilPasses(async () => expect(await outcome(two, key.secret)).toBe('ok'), 2000);
    expect((await admin(one, 'POST', `/keys/${key.id}/revoke`)).status).toBe(200);
    const revoked = Date.now();
    await untilPasses(async () => expect(await outcome(two, key.secret)).toBe('authentication_failed'), 1000);
    expect(Date.now() - revoked).toBeLessThan(1000);
  });

  it('a budget spent across two replicas stops both', async () => {
    const [one, two] = await startReplicas();
    const key = await createKey(one, { name: 'budget-across', budget: { total_usd: 0.1 } });
    await untilPasses(async () => expect((await admin(two, 'GET', `/keys/${key.id}`)).status).toBe(200), 2000);
    // Five requests at $0.02 reach the $0.10, whichever replica served them; the sixth is refused on either.
    expect(await alternate([one, two], key.secret, 6)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'budget_exceeded']);
    expect(await outcome(one, key.secret)).toBe('budget_exceeded');
    expect(await outcome(two, key.secret)).toBe('budget_exceeded');
  });

  it('a key\u2019s RPM limit holds across both replicas', async () => {
    const [one, two] = await startReplicas();
    const key = await createKey(one, { name: 'rpm-across', rpm: 4 });
    await untilPasses(async () => expect((await admin(two, 'GET', `/keys/${key.id}`)).status).toBe(200), 2000);
    expect(await alternate([one, two], key.secret, 6)).toEqual(['ok', 'ok', 'ok', 'ok', 'rate_limited', 'rate_limited']);
  });

  it('a sticky session pinned through one replica is honoured by the other', async () => {
    const [one, two] = await startReplicas();
    // The first target fails once on replica one, so the session is served, and pinned, by the second target.
    first.enqueue({ kind: 'error', status: 500 });
    expect(await chat(one, 'chat', { 'x-switchyard-session': 'conversation-across' })).toMatchObject({ provider: 'second' });
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    // Without the pin, replica two would try the (healthy again) first target.
    expect(await chat(two, 'chat', { 'x-switchyard-session': 'another-conversation' })).toMatchObject({ provider: 'first' });
    expect(await chat(two, 'chat', { 'x-switchyard-session': 'conversation-across' })).toMatchObject({ provider: 'second' });
  });

  it('an answer cached through one replica is a cache hit on the other', async () => {
    const [one, two] = await startReplicas();
    expect(await chat(one, 'cached', {})).toEqual({ provider: 'first', cache: 'miss' });
    const calls = first.requests.length;
    await untilPasses(async () => expect(await chat(two, 'cached', {})).toEqual({ provider: 'first', cache: 'hit' }), 2000);
    expect(first.requests.length).toBe(calls);
  });

  it('latency statistics learned on one replica are seen by the other', async () => {
    const [one, two] = await startReplicas();
    for (let i = 0; i < 3; i++) await chat(one, 'first/gpt-4o', {});
    await untilPasses(async () => {
      const { json } = await admin(two, 'GET', '/routing/stats');
      const deployment = (json.deployments as Array<Record<string, unknown>>).find((d) => d.provider === 'first' && d.model === 'gpt-4o');
      expect(deployment).toMatchObject({ samples: 3 });
      expect(typeof deployment?.totalMs).toBe('number');
    }, 4000);
  });
});
