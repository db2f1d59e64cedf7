import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredComparison } from '../../src/ports/comparison.js';
import { createVirtualKey } from '../support/create-virtual-key.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { PRICED_SIM_PROVIDER } from '../support/priced-simulated-provider.js';

// /v1/compare fans one request out to several models: each leg is a call made with the client's virtual key, so
// the key's model list, limits and budget hold for every leg, and every leg's record names the key.

const ADMIN = 'admin-key-compare-governed';
let gateway: TestGateway;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-compare-gov-'));
  gateway = await startTestGateway(
    `server: { admin_key: ${ADMIN} }
auth: { require_keys: true }
storage: { url: "sqlite://${join(dir, 'log.db')}" }
providers:
${PRICED_SIM_PROVIDER}
`,
  );
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

const createKey = (spec: Record<string, unknown>) => createVirtualKey(gateway.url, ADMIN, spec);

async function compare(secret: string, models: string[]): Promise<StoredComparison> {
  const response = await fetch(`${gateway.url}/v1/compare`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
    body: JSON.stringify({ models, max_tokens: 5, messages: [{ role: 'user', content: 'compare me' }] }),
  });
  expect(response.status).toBe(200);
  return (await response.json()) as StoredComparison;
}

describe('/v1/compare with virtual keys', () => {
  it('refuses a leg whose model the key may not use, and records each leg under the key', async () => {
    const key = await createKey({ name: 'echo-only', models: ['simulated/echo'], tags: { project: 'apollo' } });
    const result = await compare(key.secret, ['simulated/echo', 'simulated/lorem']);
    expect(result.legs[0]?.error).toBeUndefined();
    expect(result.legs[1]?.error?.code).toBe('permission_denied');
    await eventually(() => gateway.requestLog.records.filter((record) => record.keyId === key.id).length === 2);
    const records = gateway.requestLog.records.filter((record) => record.keyId === key.id);
    for (const record of records) expect(record.metadata).toMatchObject({ project: 'apollo' });
  });

  it('cuts the legs off at the key budget', async () => {
    // Each leg costs $0.02 (10 in, 5 out at $1,000 / $2,000 per million), estimated at about $0.018.
    const key = await createKey({ name: 'tiny', budget: { daily_usd: 0.03 } });
    const first = await compare(key.secret, ['sim/priced']);
    expect(first.legs[0]?.error).toBeUndefined();
    await eventually(() => gateway.requestLog.records.some((record) => record.keyId === key.id && record.costUsd !== undefined));
    const second = await compare(key.secret, ['sim/priced', 'sim/priced']);
    expect(second.legs.map((leg) => leg.error?.code)).toContain('budget_exceeded');
  });
});
