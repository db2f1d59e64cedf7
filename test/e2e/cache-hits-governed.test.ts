import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { PRICED_SIM_PROVIDER } from '../support/priced-simulated-provider.js';

const ADMIN = 'admin-key-cache-hits-governed';
let dir: string;
let gateway: TestGateway;

// 10 input + 5 output tokens at $1,000 / $2,000 per million: a served request costs $0.02; a cache hit costs nothing.
const CONFIG = (dbPath: string): string => `
server: { admin_key: ${ADMIN} }
storage: { url: "sqlite://${dbPath}" }
cache: { ttl_ms: 60000 }
providers:
${PRICED_SIM_PROVIDER}
models:
  cached: { targets: [{ provider: sim, model: priced }], cache: { ttl_ms: 60000 } }
  other: { targets: [{ provider: sim, model: priced }], cache: { ttl_ms: 60000 } }
`;

async function createKey(spec: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { secret: string }).secret;
}

const openai = (apiKey: string): OpenAI => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
const ask = (client: OpenAI, content: string, model = 'cached') =>
  client.chat.completions.create({ model, max_tokens: 5, messages: [{ role: 'user', content }] }).withResponse();
const failureOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => 'served', (error: unknown) => error);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-cache-governed-'));
  gateway = await startTestGateway(CONFIG(join(dir, 'gateway.db')));
  // Fills the cache for the prompts below with a key no limit applies to.
  const filler = openai(await createKey({ name: 'filler' }));
  for (const prompt of ['rpm hit', 'budget hit', 'forbidden hit', 'tpm hit']) await ask(filler, prompt);
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('cache hits under keys, limits and budgets', () => {
  it('counts a hit against the key RPM and refuses the hit past it', async () => {
    const client = openai(await createKey({ name: 'rpm-2-cache', rpm: 2 }));
    const first = await ask(client, 'rpm hit');
    expect(first.response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    await ask(client, 'rpm hit');
    const refused = await failureOf(ask(client, 'rpm hit'));
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as Error).message).toContain('KEY RPM of 2 per minute');
  });

  it('counts no tokens of a hit against TPM (no provider processed any)', async () => {
    const client = openai(await createKey({ name: 'tpm-cache', tpm: 100 }));
    for (let i = 0; i < 5; i++) {
      const { response } = await ask(client, 'tpm hit');
      expect(response.headers.get('x-switchyard-cache')).toBe('hit');
      expect(response.headers.get('x-ratelimit-remaining-tokens')).toBe('100');
    }
  });

  it('records a hit at zero cost, spends nothing of the budget, and refuses a hit once the budget is spent', async () => {
    const client = openai(await createKey({ name: 'budget-cache', budget: { daily_usd: 0.05 } }));
    const hits = [];
    for (let i = 0; i < 5; i++) hits.push(await ask(client, 'budget hit'));
    expect(hits.map((hit) => hit.response.headers.get('x-switchyard-cache'))).toEqual(['hit', 'hit', 'hit', 'hit', 'hit']);
    const hitId = hits[0]?.response.headers.get('x-request-id');
    await eventually(() => gateway.requestLog.records.some((r) => r.id === hitId));
    expect(gateway.requestLog.records.find((r) => r.id === hitId)).toMatchObject({ cache: 'hit', costUsd: 0 });
    // Served requests spend it ($0.02 each): after two the third would pass $0.05; the hits above took nothing.
    expect(await failureOf(ask(client, 'spend one', 'other'))).toBe('served');
    expect(await failureOf(ask(client, 'spend two', 'other'))).toBe('served');
    expect((await failureOf(ask(client, 'spend three', 'other'))) as { code?: string }).toMatchObject({ code: 'budget_exceeded' });
    // $0.01 is left: a free hit is still served …
    expect((await ask(client, 'budget hit')).response.headers.get('x-switchyard-cache')).toBe('hit');
    // … but a key whose budget is used up is refused, hit or not. With max_tokens 1 the estimate (~$0.013) fits its
    // $0.015, the request really costs $0.02.
    const spentOut = openai(await createKey({ name: 'budget-spent', budget: { daily_usd: 0.015 } }));
    await spentOut.chat.completions.create({ model: 'other', max_tokens: 1, messages: [{ role: 'user', content: 'spend it all' }] });
    const refused = await failureOf(ask(spentOut, 'budget hit'));
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as { code?: string }).code).toBe('budget_exceeded');
  });

  it('refuses a model the key may not use with 403 even when its answer is cached', async () => {
    const client = openai(await createKey({ name: 'other-only', models: ['other'] }));
    const refused = await failureOf(ask(client, 'forbidden hit'));
    expect(refused).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect((refused as Error).message).toContain('may not use model `cached`');
  });
});
