import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FakeBatchApi } from '../fakes/fake-batch-server.js';
import { startFakeOpenAIBatch } from '../fakes/start-fake-openai-batch.js';
import { createVirtualKey } from '../support/create-virtual-key.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

// A job handed to a provider's batch API never passes the gateway's per-request checks. So a job is delegated only
// when those checks have nothing to hold back; otherwise it runs on the gateway's lane, where each line is governed
// like a live call: a key's model list, limits and budget, the data policy, and the provider's redaction.

const KEY = 'sk-delegation-fake-key-0123456789';
const ADMIN = 'admin-key-delegation-governance';
let dir: string;
let fake: FakeBatchApi | undefined;
let gateway: TestGateway | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-delegation-gov-'));
});
afterEach(async () => {
  await gateway?.close();
  await fake?.close();
  gateway = undefined;
  fake = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(name: string, provider = ''): Promise<void> {
  fake = await startFakeOpenAIBatch({ apiKey: KEY, pollsToFinish: 1 });
  gateway = await startTestGateway(
    `
server: { admin_key: ${ADMIN} }
auth: { require_keys: true }
data_policy: { trusted_only_tags: [confidential] }
storage: { url: "sqlite://${join(dir, `${name}.db`)}" }
batch: { poll_ms: 50, delegate_poll_ms: 50 }
providers:
  up: { type: openai, base_url: ${fake.url}/v1, api_key: ${KEY}${provider} }
models:
  bulk:
    targets: [{ provider: up, model: gpt-4o-mini }]
    batch: { delegate: true }
`,
    {},
    { persist: true },
  );
}

async function createKey(spec: Record<string, unknown>): Promise<OpenAI> {
  const { secret } = await createVirtualKey(gateway?.url ?? '', ADMIN, spec);
  return new OpenAI({ baseURL: `${gateway?.url ?? ''}/v1`, apiKey: secret, maxRetries: 0 });
}

async function submit(client: OpenAI, content: string, metadata?: Record<string, string>): Promise<OpenAI.Batch> {
  const rows = [0, 1].map((i) =>
    JSON.stringify({ custom_id: `line-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'bulk', ...(metadata ? { metadata } : {}), messages: [{ role: 'user', content }] } }),
  );
  const file = await client.files.create({ file: await toFile(Buffer.from(rows.join('\n')), 'lines.jsonl'), purpose: 'batch' });
  return client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
}

async function waitForEnd(client: OpenAI, id: string): Promise<OpenAI.Batch> {
  const started = Date.now();
  for (;;) {
    const batch = await client.batches.retrieve(id);
    if (['completed', 'failed', 'cancelled', 'expired'].includes(batch.status)) return batch;
    if (Date.now() - started > 15_000) throw new Error(`batch still ${batch.status}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function errorCodes(client: OpenAI, batch: OpenAI.Batch): Promise<string[]> {
  const fileId = batch.error_file_id ?? batch.output_file_id;
  if (!fileId) return [];
  const text = await (await client.files.content(fileId)).text();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const parsed = JSON.parse(line) as { response?: { body?: { error?: { code?: string } } }; error?: { code?: string } };
      return parsed.response?.body?.error?.code ?? parsed.error?.code ?? 'ok';
    });
}

describe('delegation to a provider batch API under governance', () => {
  it('does not hand a key a model its list excludes: the lines run on the lane and are refused there', async () => {
    await start('models');
    const client = await createKey({ name: 'narrow', models: ['cheap-*'] });
    const done = await waitForEnd(client, (await submit(client, 'hello')).id);
    expect(fake?.submitted.size).toBe(0);
    expect(done.request_counts).toMatchObject({ total: 2, failed: 2 });
    expect(await errorCodes(client, done)).toEqual(['permission_denied', 'permission_denied']);
  });

  it('keeps a job of a key with a budget on the lane, where each line is governed', async () => {
    await start('budget');
    const client = await createKey({ name: 'budgeted', budget: { daily_usd: 5 } });
    await waitForEnd(client, (await submit(client, 'hello')).id);
    expect(fake?.submitted.size).toBe(0);
  });

  it('delegates a job of a key with nothing to enforce, redacting the prompt, and records each line under the key', async () => {
    await start('redact', ', redact: [email]');
    const key = await createVirtualKey(gateway?.url ?? '', ADMIN, { name: 'open' });
    const client = new OpenAI({ baseURL: `${gateway?.url ?? ''}/v1`, apiKey: key.secret, maxRetries: 0 });
    const done = await waitForEnd(client, (await submit(client, 'mail ada@example.com')).id);
    expect(done.request_counts).toMatchObject({ total: 2, completed: 2 });
    const [sent] = [...(fake?.submitted.values() ?? [])];
    expect(JSON.stringify(sent)).not.toContain('ada@example.com');
    expect(JSON.stringify(sent)).toContain('[REDACTED]');
    // Each line the provider answered is on the request record, under the key, with its usage and batch-rate cost.
    await expect
      .poll(async () => {
        const response = await fetch(`${gateway?.url ?? ''}/admin/requests?key=${key.id}`, { headers: { authorization: `Bearer ${ADMIN}` } });
        const { data } = (await response.json()) as { data: Array<{ provider?: string; usage?: { inputTokens?: number }; metadata?: Record<string, string> }> };
        return data.map((record) => [record.provider, record.usage?.inputTokens !== undefined, record.metadata?.batch_id === done.id]);
      })
      .toEqual([
        ['up', true, true],
        ['up', true, true],
      ]);
  });

  it('does not delegate lines tagged confidential to a provider not marked trusted', async () => {
    await start('policy');
    const client = await createKey({ name: 'open' });
    const done = await waitForEnd(client, (await submit(client, 'plans', { confidential: 'yes' })).id);
    expect(fake?.submitted.size).toBe(0);
    expect(await errorCodes(client, done)).toEqual(['permission_denied', 'permission_denied']);
  });
});
