import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const ADMIN_KEY = 'admin-routing-stats-0001';
let upstream: FakeUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeUpstream('openai', { defaultScript: { kind: 'text', text: 'one two three', usage: { input: 5, output: 3 } } });
  gateway = await startTestGateway(
    `
server: { admin_key: ${ADMIN_KEY} }
storage: { url: "sqlite://:memory:" }
providers:
  up: { type: openai, base_url: ${upstream.url}/v1, api_key: sk-stats-e2e-0001 }
models:
  fastest:
    strategy: latency
    targets: [{ provider: up, model: lat }]
`,
    {},
    { persist: true },
  );
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function routingStats(): Promise<{ deployments: Array<Record<string, unknown>>; stickySessions: number }> {
  const response = await fetch(`${gateway.url}/admin/routing/stats`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as { deployments: Array<Record<string, unknown>>; stickySessions: number };
}

describe('routing statistics in the admin API and metrics', () => {
  it('shows per-deployment latency averages, token rate and in-flight count, exported only for configured deployments', async () => {
    await client.chat.completions.create({ model: 'fastest', messages: [{ role: 'user', content: 'hi' }] });
    const stream = await client.chat.completions.create({ model: 'fastest', messages: [{ role: 'user', content: 'hi' }], stream: true });
    for await (const chunk of stream) void chunk;
    await client.chat.completions.create({ model: 'up/client-chosen-name', messages: [{ role: 'user', content: 'hi' }] });
    let stats = await routingStats();
    for (let polls = 0; stats.deployments.find((d) => d.model === 'lat')?.samples !== 2 && polls < 50; polls++) stats = await routingStats();
    const lat = stats.deployments.find((d) => d.model === 'lat');
    expect(lat).toMatchObject({ provider: 'up', model: 'lat', samples: 2, inFlight: 0 });
    expect(typeof lat?.ttftMs).toBe('number');
    expect(typeof lat?.totalMs).toBe('number');
    expect(stats.stickySessions).toBe(0);

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/switchyard_routing_latency_ms\{provider="up",model="lat",kind="ttft"\} [\d.]+/);
    expect(metrics).toMatch(/switchyard_routing_latency_ms\{provider="up",model="lat",kind="total"\} [\d.]+/);
    expect(metrics).toMatch(/switchyard_routing_in_flight\{provider="up",model="lat"\} 0/);
    const routingLines = metrics.split('\n').filter((line) => line.startsWith('switchyard_routing_'));
    expect(routingLines.join('\n')).not.toContain('client-chosen-name');
  });
});
