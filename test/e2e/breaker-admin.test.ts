import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const ADMIN_KEY = 'admin-breakers-0001';
let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream('openai');
  gateway = await startTestGateway(`
server: { admin_key: ${ADMIN_KEY} }
providers:
  primary: { type: openai, base_url: "${upstream.url}/v1", api_key: sk-test-breaker-admin }
  backup: { type: simulated }
models:
  guarded:
    targets: [{ provider: primary, model: gpt-4o }, { provider: backup, model: echo }]
    retry: { attempts: 1 }
    breaker: { failure_threshold: 1, cooldown_ms: 600000 }
`);
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

describe('GET /admin/breakers', () => {
  // Other replicas compare `openedAt` with their own clocks: a process-local monotonic time would misplace it there.
  it('reports an opened breaker with openedAt in wall-clock epoch milliseconds', async () => {
    upstream.enqueue({ kind: 'error', status: 500 });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'guarded', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(response.headers.get('x-switchyard-provider')).toBe('backup');
    await response.text();
    const listed = (await (await fetch(`${gateway.url}/admin/breakers`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } })).json()) as {
      data: Array<{ provider: string; model: string; state: string; openedAt?: number }>;
    };
    const row = listed.data.find((entry) => entry.model === 'gpt-4o');
    expect(row).toMatchObject({ provider: 'primary', state: 'open' });
    expect(Math.abs((row?.openedAt ?? 0) - Date.now())).toBeLessThan(60_000);
  });
});
