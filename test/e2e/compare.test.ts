import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComparisonLeg, StoredComparison } from '../../src/ports/comparison.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { sseEvents } from '../support/sse-events.js';

const ADMIN_KEY = 'sy-admin-compare-test';
let gateway: TestGateway;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-compare-'));
  gateway = await startTestGateway(
    `server: { admin_key: ${ADMIN_KEY} }
storage: { url: "sqlite://${join(dir, 'log.db')}" }
providers:
  sim:
    type: simulated
    models:
      echo: { price: { input: 1, output: 2 } }
models:
  broken:
    targets: [{ provider: sim, model: error }]
    retry: { attempts: 1 }
`,
    {},
    { persist: true },
  );
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

const compare = (body: unknown) =>
  fetch(`${gateway.url}/v1/compare`, { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
const admin = async (path: string) =>
  (await fetch(`${gateway.url}/admin${path}`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json() as Promise<Record<string, unknown>>;

describe('POST /v1/compare', () => {
  it('sends one request to three models at once; a failing leg reports its error beside the others', async () => {
    const response = await compare({ models: ['simulated/echo', 'sim/echo', 'broken'], messages: [{ role: 'user', content: 'compare me' }] });
    expect(response.status).toBe(200);
    const body = (await response.json()) as StoredComparison & { object: string };
    expect(body.object).toBe('comparison');
    expect(response.headers.get('x-switchyard-comparison-id')).toBe(body.id);
    expect(body.models).toEqual(['simulated/echo', 'sim/echo', 'broken']);
    const [first, second, third] = body.legs as [ComparisonLeg, ComparisonLeg, ComparisonLeg];
    expect(first).toMatchObject({ leg: 0, model: 'simulated/echo', provider: 'simulated', served_model: 'echo', output: 'compare me', finish_reason: 'stop' });
    expect(second).toMatchObject({ leg: 1, model: 'sim/echo', provider: 'sim', output: 'compare me' });
    expect(second.cost_usd).toBeGreaterThan(0);
    expect(second.usage?.output_tokens).toBeGreaterThan(0);
    expect(second.ttft_ms).toBeGreaterThanOrEqual(0);
    expect(second.latency_ms).toBeGreaterThanOrEqual(second.ttft_ms ?? 0);
    expect(third.output).toBeUndefined();
    expect(third.error?.code).toBe('all_targets_failed');
    expect(third.error?.message).toContain('All upstream attempts failed');

    // Each leg is its own row in the request log, tagged with the comparison.
    for (const leg of body.legs) {
      let stored: Record<string, unknown> | undefined;
      for (let tries = 0; tries < 100 && !stored; tries++) {
        const page = await admin(`/requests/${leg.request_id}`);
        stored = page.data as Record<string, unknown> | undefined;
        if (!stored) await new Promise((resolve) => setTimeout(resolve, 20));
      }
      expect(stored?.metadata).toMatchObject({ comparison_id: body.id, comparison_leg: String(leg.leg) });
      expect(stored?.status).toBe(leg.error ? 502 : 200);
    }
  });

  it('streams SSE events tagged with the leg, ending with the whole comparison', async () => {
    const response = await compare({ models: ['simulated/echo', 'simulated/lorem'], stream: true, max_tokens: 4, messages: [{ role: 'user', content: 'stream both' }] });
    expect(response.headers.get('content-type')).toContain('text/event-stream');
    const events = sseEvents(await response.text());
    expect(events[0]?.event).toBe('start');
    const text = (leg: number) =>
      events
        .filter((e) => e.event === 'delta' && e.data.leg === leg)
        .map((e) => e.data.text)
        .join('');
    expect(text(0)).toBe('stream both');
    expect(text(1).trim().split(' ')).toHaveLength(4);
    expect(events.filter((e) => e.event === 'leg').map((e) => e.data.leg).sort()).toEqual([0, 1]);
    const done = events.at(-1);
    expect(done?.event).toBe('done');
    expect((done?.data.legs as ComparisonLeg[]).map((leg) => leg.output)).toEqual([text(0), text(1)]);
  });

  it('is stored: listed newest first under /admin/comparisons and shown whole by id', async () => {
    const made = (await (await compare({ models: ['simulated/echo'], messages: [{ role: 'user', content: 'remember me' }] })).json()) as StoredComparison;
    const list = await admin('/comparisons?limit=2');
    const listed = list.data as StoredComparison[];
    expect(listed[0]?.id).toBe(made.id);
    expect(listed).toHaveLength(2);
    expect(typeof list.nextCursor).toBe('string');
    const shown = (await admin(`/comparisons/${made.id}`)).data as StoredComparison;
    expect(shown).toEqual({ id: made.id, created_at: made.created_at, models: made.models, request: made.request, legs: made.legs });
    expect(shown.request).toEqual({ messages: [{ role: 'user', content: 'remember me' }] });
    expect((await admin('/comparisons/cmp_unknown')).error).toMatchObject({ code: 'not_found' });
  });

  it('rejects a body without models with a 400 in the OpenAI format', async () => {
    const response = await compare({ messages: [{ role: 'user', content: 'x' }] });
    expect(response.status).toBe(400);
    expect(await response.json()).toMatchObject({ error: { message: 'models must be an array of 1 to 8 model names', param: 'models' } });
  });

  it('switchyard compare prints the legs side by side and exits 1 when a leg failed', async () => {
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const run = (models: string) =>
      new Promise<{ code: number; stdout: string }>((resolve) => {
        execFile(process.execPath, ['dist/cli.js', 'compare', '--models', models, 'side by side', '--url', gateway.url], { cwd: root }, (error, stdout) => {
          resolve({ code: error ? Number(error.code ?? 1) : 0, stdout });
        });
      });
    const ok = await run('simulated/echo,sim/echo');
    expect(ok.code).toBe(0);
    const lines = ok.stdout.split('\n');
    expect(lines[0]).toMatch(/^model\s+provider\s+ttft ms\s+total ms\s+in\s+out\s+cost usd\s+output$/);
    expect(lines[2]).toMatch(/^simulated\/echo\s+simulated\s+\d+\s+\d+\s+\d+\s+\d+\s+\S+\s+side by side$/);
    expect(lines[3]).toMatch(/^sim\/echo\s+sim\s.*side by side$/);
    expect(ok.stdout).toMatch(/comparison cmp_/);
    const failed = await run('simulated/echo,broken');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toContain('error all_targets_failed');
  });
});
