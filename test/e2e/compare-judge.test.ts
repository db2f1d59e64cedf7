import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RoutingOverview } from '../../src/ports/routing-overview.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { sseEvents } from '../support/sse-events.js';

const ADMIN = 'judge-admin-0001';
let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream('openai', { defaultScript: { kind: 'text', text: 'not json at all', usage: { input: 50, output: 5 } } });
  gateway = await startTestGateway(
    `
server: { admin_key: ${ADMIN} }
storage: { url: "sqlite://:memory:" }
providers:
  sim: { type: simulated }
  judgeup: { type: openai, base_url: ${upstream.url}/v1, api_key: sk-judge-e2e-0001 }
models:
  pool:
    strategy: bandit
    targets: [{ provider: sim, model: echo }]
compare:
  judge:
    model: judgeup/grader
    rubric: Prefer the answer that repeats the question exactly.
`,
    {},
    { persist: true },
  );
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

async function compare(body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${gateway.url}/v1/compare`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function admin<T>(path: string): Promise<T> {
  return (await (await fetch(`${gateway.url}/admin${path}`, { headers: { authorization: `Bearer ${ADMIN}` } })).json()) as T;
}

describe('the comparison judge', () => {
  it('scores each leg with the configured model against the rubric, stores the scores as feedback and teaches the bandit', async () => {
    upstream.enqueue({ kind: 'text', text: '```json\n{"scores":[{"leg":0,"score":0.9,"reason":"repeats it"},{"leg":1,"score":0.1,"reason":"filler"}]}\n```' });
    const made = await compare({ models: ['pool', 'sim/lorem'], max_tokens: 6, messages: [{ role: 'user', content: 'Say the magic word' }] });
    expect(made.status).toBe(200);
    const judge = made.body.judge as Record<string, unknown>;
    expect(judge).toMatchObject({
      model: 'judgeup/grader',
      metric: 'quality',
      scores: [
        { leg: 0, model: 'pool', score: 0.9, reason: 'repeats it' },
        { leg: 1, model: 'sim/lorem', score: 0.1, reason: 'filler' },
      ],
    });
    expect(typeof judge.request_id).toBe('string');

    // The judge saw the rubric, the request and both outputs, but not which model wrote which.
    const sent = JSON.stringify(upstream.requests.at(-1)?.body);
    expect(sent).toContain('Prefer the answer that repeats the question exactly.');
    expect(sent).toContain('Say the magic word');
    expect(sent).not.toContain('sim/lorem');

    let overview = await admin<RoutingOverview>('/routing?window=1h');
    for (let i = 0; i < 100 && (overview.aliases[0]?.feedback.length ?? 0) === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 20));
      overview = await admin<RoutingOverview>('/routing?window=1h');
    }
    const pool = overview.aliases.find((a) => a.alias === 'pool');
    expect(pool?.feedback).toEqual([{ target: 'sim/echo', taskClass: '(none)', metric: 'quality', count: 1, meanScore: 0.9 }]);
    expect(pool?.bandit?.classes[0]?.weights[0]).toMatchObject({ target: 'sim/echo', observations: 0.9 + 0.1 });

    const stored = await admin<{ data: Record<string, unknown> }>(`/comparisons/${String(made.body.id)}`);
    expect(stored.data.judge).toEqual(judge);
  });

  it('streams the verdict as a judge event after the legs, before done', async () => {
    upstream.enqueue({ kind: 'text', text: '{"scores":[{"leg":0,"score":1,"reason":"exact"}]}' });
    const response = await fetch(`${gateway.url}/v1/compare`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ models: ['sim/echo'], stream: true, messages: [{ role: 'user', content: 'stream and judge' }] }),
    });
    const events = sseEvents(await response.text());
    expect(events.map((e) => e.event).slice(-3)).toEqual(['leg', 'judge', 'done']);
    const judge = events.at(-2)?.data;
    expect(judge).toMatchObject({ model: 'judgeup/grader', metric: 'quality', scores: [{ leg: 0, model: 'sim/echo', score: 1, reason: 'exact' }] });
    expect(events.at(-1)?.data.judge).toEqual(judge);
  });

  it('keeps the legs and reports the judge\'s failure when its answer is not the scores asked for', async () => {
    const made = await compare({ models: ['sim/echo'], messages: [{ role: 'user', content: 'hi' }] });
    expect(made.status).toBe(200);
    expect((made.body.legs as unknown[]).length).toBe(1);
    expect(made.body.judge).toMatchObject({ model: 'judgeup/grader', scores: [], error: { code: 'invalid_judgement' } });
  });

  it('is skipped with "judge": false, and asking for one without a configured judge is a 400', async () => {
    const skipped = await compare({ models: ['sim/echo'], judge: false, messages: [{ role: 'user', content: 'hi' }] });
    expect(skipped.status).toBe(200);
    expect(skipped.body.judge).toBeUndefined();
    const plain = await startTestGateway('providers:\n  sim: { type: simulated }\n');
    try {
      const response = await fetch(`${plain.url}/v1/compare`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ models: ['sim/echo'], judge: true, messages: [{ role: 'user', content: 'hi' }] }),
      });
      expect(response.status).toBe(400);
      expect(await response.json()).toMatchObject({ error: { message: 'No judge is configured: set compare.judge.model in the config', param: 'judge' } });
    } finally {
      await plain.close();
    }
  });
});
