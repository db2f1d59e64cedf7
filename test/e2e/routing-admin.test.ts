import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutingOverview } from '../../src/ports/routing-overview.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const ADMIN_KEY = 'admin-routing-overview-0001';
const CONFIG = `
server: { admin_key: ${ADMIN_KEY} }
storage: { url: "sqlite://:memory:" }
routing:
  history: { interval_ms: 5000, samples: 2 }
providers:
  sim: { type: simulated }
models:
  learner:
    strategy: bandit
    targets: [{ provider: sim, model: echo }, { provider: sim, model: lorem }]
    bandit: { exploration: 0 }
  cached:
    cache: true
    targets: [{ provider: sim, model: echo }]
`;

let gateway: TestGateway;
let client: OpenAI;
const ticks: Array<() => void> = [];
let intervalAsked: number | undefined;

beforeAll(async () => {
  gateway = await startTestGateway(CONFIG, {}, {
    persist: true,
    every: (intervalMs, tick) => {
      intervalAsked = intervalMs;
      ticks.push(tick);
      return () => ticks.splice(ticks.indexOf(tick), 1);
    },
  });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
});

async function overview(query = ''): Promise<RoutingOverview> {
  const response = await fetch(`${gateway.url}/admin/routing${query}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
  expect(response.status).toBe(200);
  return (await response.json()) as RoutingOverview;
}

async function feedback(requestId: string, score: number): Promise<void> {
  const response = await fetch(`${gateway.url}/v1/feedback`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ request_id: requestId, score }),
  });
  expect(response.status).toBe(200);
}

describe('GET /admin/routing', () => {
  it('needs the admin key', async () => {
    const response = await fetch(`${gateway.url}/admin/routing`);
    expect(response.status).toBe(401);
  });

  it('lists each alias with strategy, targets, bandit weights moved by feedback, feedback per target, cache hit rate and a bounded history', async () => {
    const before = await overview();
    expect(before.aliases.map((a) => [a.alias, a.strategy])).toEqual([
      ['learner', 'bandit'],
      ['cached', 'fallback'],
    ]);
    const learnerBefore = before.aliases[0]!;
    expect(learnerBefore.targets.map((t) => t.target)).toEqual(['sim/echo', 'sim/lorem']);
    // No feedback yet: both targets at the prior.
    expect(learnerBefore.bandit?.classes).toEqual([
      { taskClass: '*', weights: expect.arrayContaining([expect.objectContaining({ target: 'sim/echo', quality: 0.5, observations: 0 })]) },
    ]);

    for (let i = 0; i < 12; i++) {
      const { response } = await client.chat.completions.create({ model: 'learner', messages: [{ role: 'user', content: `q${i}` }], max_tokens: 4 }).withResponse();
      await feedback(response.headers.get('x-request-id') ?? '', response.headers.get('x-switchyard-model') === 'echo' ? 1 : 0);
    }
    for (let i = 0; i < 2; i++) await client.chat.completions.create({ model: 'cached', messages: [{ role: 'user', content: 'same' }] });

    expect(intervalAsked).toBe(5000);
    for (let i = 0; i < 3; i++) for (const tick of ticks) tick();

    let state = await overview('?window=1h');
    for (let polls = 0; state.aliases[0]!.feedback.length === 0 && polls < 100; polls++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      state = await overview('?window=1h');
    }
    expect(state.window.to - state.window.from).toBe(3_600_000);
    const learner = state.aliases[0]!;
    const weights = learner.bandit!.classes[0]!.weights;
    const echo = weights.find((w) => w.target === 'sim/echo')!;
    const lorem = weights.find((w) => w.target === 'sim/lorem');
    expect(echo.observations).toBeGreaterThan(0);
    expect(echo.quality).toBeGreaterThan(0.5);
    if (lorem && lorem.observations > 0) expect(lorem.quality).toBeLessThan(0.5);
    expect(weights[0]!.target).toBe('sim/echo');
    expect(learner.feedback.find((f) => f.target === 'sim/echo')).toMatchObject({ taskClass: '(none)', metric: 'quality', meanScore: 1 });
    expect(learner.targets[0]!.statistics).toMatchObject({ inFlight: 0 });
    expect(learner.targets[0]!.statistics!.samples).toBeGreaterThan(0);

    expect(state.aliases[1]!.cache).toEqual({ hits: 1, misses: 1, hitRate: 0.5 });
    expect(state.cache).toEqual({ hits: 1, misses: 1, hitRate: 0.5 });

    // Three ticks, two kept: the ring drops the oldest.
    expect(state.historyCapacity).toBe(2);
    expect(learner.history).toHaveLength(2);
    expect(learner.history[1]!.weights.find((w) => w.target === 'sim/echo')?.quality).toBe(echo.quality);
    expect(learner.history[1]!.deployments.map((d) => d.target)).toEqual(['sim/echo', 'sim/lorem']);

    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(metrics).toMatch(/switchyard_routing_bandit_objective\{alias="learner",task_class="\*",target="sim\/echo"\} [\d.-]+/);
    expect(metrics).toMatch(new RegExp(`switchyard_routing_bandit_quality\\{alias="learner",task_class="\\*",target="sim/echo"\\} ${echo.quality}`));
  });

  it('rejects a malformed window in its own error format', async () => {
    const response = await fetch(`${gateway.url}/admin/routing?window=forever`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: { code: 'invalid_request', message: 'window: expected a duration such as 15m, 1h or 7d' } });
  });
});
