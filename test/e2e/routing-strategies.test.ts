import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let first: FakeUpstream;
let second: FakeUpstream;
let gateway: TestGateway;
let client: OpenAI;

const OK = { kind: 'text', text: 'ok', usage: { input: 10, output: 2 } } as const;

function provider(upstream: FakeUpstream, prices: { input: number; output: number }): string {
  return `
    type: openai
    base_url: ${upstream.url}/v1
    api_key: sk-strategies-e2e-0001
    models:
      priced: { price: { input: ${prices.input}, output: ${prices.output}, cache_read: 0.1 } }`;
}

beforeAll(async () => {
  [first, second] = await Promise.all([startFakeUpstream('openai', { defaultScript: OK }), startFakeUpstream('openai', { defaultScript: OK })]);
  gateway = await startTestGateway(`
defaults:
  retry: { attempts: 1 }
providers:
  first: ${provider(first, { input: 10, output: 30 })}
  second: ${provider(second, { input: 0.5, output: 1.5 })}
models:
  cheapest:
    strategy: cost
    targets: [{ provider: first, model: priced }, { provider: second, model: priced }]
  fastest:
    strategy: latency
    exploration: 0
    targets: [{ provider: first, model: lat }, { provider: second, model: lat }]
  idlest:
    strategy: least-busy
    targets: [{ provider: first, model: busy }, { provider: second, model: busy }]
  chat:
    strategy: weighted
    seed: 11
    sticky: { ttl_ms: 60000 }
    targets: [{ provider: first, model: priced }, { provider: second, model: priced }]
`);
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await Promise.all([first.close(), second.close()]);
});
beforeEach(() => {
  for (const upstream of [first, second]) {
    upstream.requests.length = 0;
    upstream.setDefault(OK);
  }
  gateway.requestLog.records.length = 0;
});

function ask(model: string, extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {}, headers: Record<string, string> = {}) {
  return client.chat.completions.create({ model, messages: [{ role: 'user', content: 'hello' }], ...extra }, { headers });
}

describe('routing strategies through the OpenAI SDK', () => {
  it('cost sends the request to the cheaper deployment and records why', async () => {
    await ask('cheapest', { max_tokens: 100 });
    expect(second.requests).toHaveLength(1);
    expect(first.requests).toHaveLength(0);
    await eventually(() => gateway.requestLog.records.length === 1);
    const routing = gateway.requestLog.records[0]?.routing ?? [];
    expect(routing[0]).toMatchObject({ providerId: 'second', action: 'try' });
    expect(routing[0]?.reason).toMatch(/^cost: cheapest, ~\$[\d.e-]+ \(est\. \d+ in \+ 100 out\)$/);
    expect(routing[1]?.reason).toMatch(/^cost: #2/);
  });

  it('latency moves traffic to the deployment that answers faster', async () => {
    first.setDefault({ ...OK, ttftMs: 400 });
    for (let i = 0; i < 6; i++) await ask('fastest');
    // The first request measures `first` (slow), the second measures the unmeasured `second`, the rest stay on it.
    expect(first.requests).toHaveLength(1);
    expect(second.requests).toHaveLength(5);
    await eventually(() => gateway.requestLog.records.length === 6);
    expect(gateway.requestLog.records[5]?.routing?.[0]?.reason).toMatch(/^latency: total \d+ ms/);
  });

  it('least-busy spreads concurrent requests over the deployments', async () => {
    const holding = { ...OK, ttftMs: 1500 };
    first.setDefault(holding);
    second.setDefault(holding);
    const pending: Array<Promise<unknown>> = [];
    for (let i = 1; i <= 4; i++) {
      pending.push(ask('idlest'));
      // Each request starts once the previous one is in flight upstream, so the counts it sees are settled.
      await eventually(() => first.requests.length + second.requests.length === i, 5000);
    }
    await Promise.all(pending);
    expect([first.requests.length, second.requests.length]).toEqual([2, 2]);
  });

  it('sticky keeps a session on the deployment that served it, and records the cache saving', async () => {
    first.setDefault({ ...OK, usage: { input: 10, output: 2, cacheRead: 1000 } });
    second.setDefault({ ...OK, usage: { input: 10, output: 2, cacheRead: 1000 } });
    for (let i = 0; i < 8; i++) await ask('chat', {}, { 'x-switchyard-session': 'conversation-1' });
    expect([first.requests.length, second.requests.length].sort()).toEqual([0, 8]);
    await eventually(() => gateway.requestLog.records.length === 8);
    const record = gateway.requestLog.records[1]!;
    expect(record.routing?.[0]?.reason).toBe('sticky session (served it last)');
    expect(record.usage?.cacheReadTokens).toBe(1000);
    const inputPrice = record.provider === 'first' ? 10 : 0.5;
    expect(record.cacheSavingUsd).toBeCloseTo((1000 * (inputPrice - 0.1)) / 1e6, 10);
  });

  it('sticky takes the OpenAI user field as the session, while different sessions still spread by weight', async () => {
    for (let i = 0; i < 6; i++) await ask('chat', { user: 'user-7' });
    expect([first.requests.length, second.requests.length].sort()).toEqual([0, 6]);
    for (let i = 0; i < 12; i++) await ask('chat', { user: `user-${100 + i}` });
    expect(first.requests.length).toBeGreaterThan(0);
    expect(second.requests.length).toBeGreaterThan(0);
  });
});
