import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createVirtualKey } from '../support/create-virtual-key.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const ADMIN = 'admin-key-budgets-e2e';
let dir: string;

// Each request uses 10 input + 5 output tokens at $1,000 / $2,000 per million: $0.02. With max_tokens 5 and a prompt
// of ~8 tokens, its estimate is ~$0.018, so a $0.10 budget admits five requests and refuses the sixth.
const config = (dbPath: string, ttftMs = 0): string => `
server: { admin_key: ${ADMIN} }
storage: { url: "sqlite://${dbPath}" }
auth:
  require_keys: true
  teams:
    research: { budget: { daily_usd: 0.05 } }
providers:
  sim:
    type: simulated
    simulated:
      models:
        priced: { behavior: echo, usage: { input: 10, output: 5 }, ttft_ms: ${ttftMs} }
    models:
      priced: { price: { input: 1000, output: 2000 } }
models:
  main: { targets: [{ provider: sim, model: priced }] }
`;

const createKey = (gateway: TestGateway, spec: Record<string, unknown>) => createVirtualKey(gateway.url, ADMIN, spec);

function client(gateway: TestGateway, apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
}

/** Sends one request; resolves to 'ok' or the error code it was refused with. */
async function spend(openai: OpenAI): Promise<string> {
  try {
    await openai.chat.completions.create({ model: 'main', max_tokens: 5, messages: [{ role: 'user', content: 'budget' }] });
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  }
}

async function spendSequentially(openai: OpenAI, count: number): Promise<string[]> {
  const outcomes: string[] = [];
  for (let i = 0; i < count; i++) outcomes.push(await spend(openai));
  return outcomes;
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-budgets-'));
});
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('budgets over HTTP', () => {
  it('cuts a key off at its budget with 429 budget_exceeded, logging and counting 80 % and 100 %', async () => {
    const gateway = await startTestGateway(config(join(dir, 'sequential.db')));
    try {
      const key = await createKey(gateway, { name: 'daily-10c', budget: { daily_usd: 0.1 } });
      const outcomes = await spendSequentially(client(gateway, key.secret), 6);
      expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', 'ok', 'budget_exceeded']);
      const refused = await client(gateway, key.secret).chat.completions.create({ model: 'main', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] }).catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
      expect((refused as Error).message).toMatch(/Budget exceeded: key daily-10c \(sk-sy-.{6}…\) has spent \$0\.1000 of its daily budget of \$0\.1/);
      expect(Number((refused as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after'))).toBeGreaterThan(0);
      const log = gateway.logLines.join('');
      expect(log).toContain('budget 80% reached: key daily-10c');
      expect(log).toContain('budget 100% reached: key daily-10c');
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(/switchyard_budget_alerts_total\{scope="key",window="daily",threshold="100"\} 1/);
    } finally {
      await gateway.close();
    }
  });

  it('lets concurrent requests overspend by no more than one request\u2019s estimate', async () => {
    const gateway = await startTestGateway(config(join(dir, 'concurrent.db'), 200));
    try {
      const key = await createKey(gateway, { name: 'concurrent', budget: { daily_usd: 0.1 } });
      const openai = client(gateway, key.secret);
      const outcomes = await Promise.all(Array.from({ length: 20 }, () => spend(openai)));
      const served = outcomes.filter((o) => o === 'ok').length;
      expect(outcomes.filter((o) => o !== 'ok').every((o) => o === 'budget_exceeded')).toBe(true);
      expect(served).toBe(5);
      expect(served * 0.02).toBeLessThanOrEqual(0.1 + 0.02);
    } finally {
      await gateway.close();
    }
  });

  it('shares a team budget between the team\u2019s keys', async () => {
    const gateway = await startTestGateway(config(join(dir, 'team.db')));
    try {
      const one = await createKey(gateway, { name: 'team-a', team: 'research' });
      const two = await createKey(gateway, { name: 'team-b', team: 'research' });
      // $0.05 a day for the team: $0.02 through one key and $0.02 through the other leave less than an estimate.
      expect(await spendSequentially(client(gateway, one.secret), 1)).toEqual(['ok']);
      expect(await spendSequentially(client(gateway, two.secret), 2)).toEqual(['ok', 'budget_exceeded']);
      expect(await spendSequentially(client(gateway, one.secret), 1)).toEqual(['budget_exceeded']);
    } finally {
      await gateway.close();
    }
  });

  it('rebuilds spend from the request record after a restart instead of resetting it', async () => {
    const dbPath = join(dir, 'restart.db');
    const first = await startTestGateway(config(dbPath), {}, { persist: true });
    const key = await createKey(first, { name: 'survives-restart', budget: { daily_usd: 0.1 } });
    expect(await spendSequentially(client(first, key.secret), 3)).toEqual(['ok', 'ok', 'ok']);
    await first.close();
    const second = await startTestGateway(config(dbPath), {}, { persist: true });
    try {
      expect(await spendSequentially(client(second, key.secret), 3)).toEqual(['ok', 'ok', 'budget_exceeded']);
    } finally {
      await second.close();
    }
  });
});
