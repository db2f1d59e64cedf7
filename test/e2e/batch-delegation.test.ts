import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import OpenAI, { toFile } from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { answerText, type FakeBatchApi, type FakeBatchOptions } from '../fakes/fake-batch-server.js';
import { startFakeAnthropicBatch } from '../fakes/start-fake-anthropic-batch.js';
import { startFakeGeminiBatch } from '../fakes/start-fake-gemini-batch.js';
import { startFakeOpenAIBatch } from '../fakes/start-fake-openai-batch.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

// The provider key lives in a file the config references, so delegation resolves secret references like live calls.
const KEY = 'sk-delegation-fake-key-0123456789';

interface Case {
  type: 'openai' | 'anthropic' | 'gemini';
  model: string;
  start: (options: FakeBatchOptions) => Promise<FakeBatchApi>;
  basePath: string;
  /** Catalogue list price per million tokens (input, output). */
  price: [number, number];
}

const CASES: Case[] = [
  { type: 'openai', model: 'gpt-4o-mini', start: startFakeOpenAIBatch, basePath: '/v1', price: [0.15, 0.6] },
  { type: 'anthropic', model: 'claude-haiku-4-5', start: startFakeAnthropicBatch, basePath: '', price: [1, 5] },
  { type: 'gemini', model: 'gemini-2.5-flash', start: startFakeGeminiBatch, basePath: '', price: [0.3, 2.5] },
];

const LINES = 40;
let dir: string;
let keyFile: string;
let fake: FakeBatchApi | undefined;
let gateway: TestGateway | undefined;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-delegation-'));
  keyFile = join(dir, 'provider-key');
  writeFileSync(keyFile, KEY);
});
afterEach(async () => {
  await gateway?.close();
  await fake?.close();
  gateway = undefined;
  fake = undefined;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(c: Case, options: FakeBatchOptions, name: string): Promise<OpenAI> {
  fake = await c.start({ apiKey: KEY, ...options });
  const config = `
storage: { url: "sqlite://${join(dir, `${name}.db`)}" }
batch: { poll_ms: 50, delegate_poll_ms: 50 }
providers:
  up:
    type: ${c.type}
    base_url: ${fake.url}${c.basePath}
    api_key: file://${keyFile}
models:
  bulk:
    targets: [{ provider: up, model: ${c.model} }]
    batch: { delegate: true }
`;
  gateway = await startTestGateway(config, {}, { persist: true });
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-not-used', maxRetries: 0 });
}

async function waitForEnd(client: OpenAI, id: string, timeoutMs = 15_000): Promise<OpenAI.Batch> {
  const started = Date.now();
  for (;;) {
    const batch = await client.batches.retrieve(id);
    if (['completed', 'failed', 'cancelled', 'expired'].includes(batch.status)) return batch;
    if (Date.now() - started > timeoutMs) throw new Error(`batch still ${batch.status}: ${JSON.stringify(batch.request_counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

async function submit(client: OpenAI, count: number): Promise<OpenAI.Batch> {
  const rows = Array.from({ length: count }, (_, i) =>
    JSON.stringify({ custom_id: `doc ${i}.txt`, method: 'POST', url: '/v1/chat/completions', body: { model: 'bulk', messages: [{ role: 'user', content: `summarise document ${i}` }] } }),
  );
  const file = await client.files.create({ file: await toFile(Buffer.from(rows.join('\n')), 'docs.jsonl'), purpose: 'batch' });
  return client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
}

interface OutputLine {
  custom_id: string;
  response: { status_code: number; body: { choices?: Array<{ message: { content: string } }> } } | null;
  error: { code: string; message: string } | null;
}

async function lines(client: OpenAI, fileId: string | null | undefined): Promise<OutputLine[]> {
  if (!fileId) return [];
  const text = await (await client.files.content(fileId)).text();
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as OutputLine);
}

describe.each(CASES)('a job delegated to the $type batch API (official openai SDK in front)', (c) => {
  it('completes through the provider batch: every custom_id answered once with its own line, priced at half', async () => {
    const client = await start(c, { pollsToFinish: 2 }, `${c.type}-complete`);
    const created = await submit(client, LINES);
    const done = await waitForEnd(client, created.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: LINES, completed: LINES, failed: 0 });
    expect(fake?.submitted.size).toBe(1);
    const [sent] = [...(fake?.submitted.values() ?? [])];
    expect(sent).toHaveLength(LINES);

    const output = await lines(client, done.output_file_id);
    expect(output.map((line) => line.custom_id).sort()).toEqual(Array.from({ length: LINES }, (_, i) => `doc ${i}.txt`).sort());
    // Each answer names the provider-side id its line went under: the results reached the right lines.
    const sentIdOf = new Map((sent ?? []).map((line) => [JSON.stringify(line.body).match(/summarise document (\d+)/)?.[1], line.customId]));
    for (const line of output) {
      const index = /doc (\d+)\.txt/.exec(line.custom_id)?.[1];
      expect(line.response?.body.choices?.[0]?.message.content).toBe(answerText(sentIdOf.get(index) ?? '?'));
    }
    // 12 input and 5 output tokens a line at half the catalogue's list price.
    const cost = (done as unknown as { switchyard?: { cost_usd?: number } }).switchyard?.cost_usd;
    expect(cost).toBeCloseTo((LINES * (12 * c.price[0] + 5 * c.price[1]) * 0.5) / 1e6, 10);
  });

  it('puts a line the provider failed and a line it let expire in the error file', async () => {
    let failing: string | undefined;
    let expiring: string | undefined;
    const client = await start(
      c,
      {
        outcomeFor: (id) => {
          failing ??= id;
          if (id === failing) return 'errored';
          expiring ??= id;
          return id === expiring ? 'expired' : 'succeeded';
        },
      },
      `${c.type}-errors`,
    );
    const created = await submit(client, 4);
    const done = await waitForEnd(client, created.id);
    expect(done.request_counts).toEqual({ total: 4, completed: 2, failed: 2 });
    const errors = await lines(client, done.error_file_id);
    expect(errors).toHaveLength(2);
    const codes = errors.map((line) => line.response?.status_code ?? line.error?.code).sort();
    expect(codes).toEqual([400, 'batch_expired'].sort());
    expect((await lines(client, done.output_file_id)).length).toBe(2);
  });

  it('propagates a cancel to the provider batch', async () => {
    const client = await start(c, { pollsToFinish: 1_000 }, `${c.type}-cancel`);
    const created = await submit(client, 3);
    await expect.poll(() => fake?.submitted.size, { timeout: 10_000 }).toBe(1);
    await client.batches.cancel(created.id);
    await expect.poll(() => fake?.calls.some((call) => call.method === 'POST' && /cancel/.test(call.path)), { timeout: 10_000 }).toBe(true);
    const done = await waitForEnd(client, created.id);
    expect(done.status).toBe('cancelled');
  });
});

describe('a job the provider batch API refuses', () => {
  it('runs on the gateway lane instead of waiting on the provider forever', async () => {
    const c = CASES[1] as Case;
    // The fake wants another key: the provider refuses the batch (401), which trying again would not change.
    const client = await start(c, { apiKey: 'sk-the-key-the-provider-wants-0123' }, 'refused');
    const created = await submit(client, 3);
    const done = await waitForEnd(client, created.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: 3, completed: 0, failed: 3 });
    expect((done as unknown as { switchyard?: { delegated?: unknown } }).switchyard?.delegated).toBeNull();
    expect(fake?.calls.filter((call) => call.path === '/v1/messages/batches')).toHaveLength(1);
    // On the lane each line went to the live Messages API, which this fake does not serve: they fail there.
    expect(fake?.calls.filter((call) => call.path === '/v1/messages').length).toBeGreaterThanOrEqual(3);
  }, 30_000);
});

describe('a Message Batch from the official Anthropic SDK, delegated', () => {
  it('runs on the OpenAI batch API and comes back as Anthropic results under the client ids', async () => {
    const c = CASES[0] as Case;
    await start(c, {}, 'anthropic-sdk');
    const client = new Anthropic({ baseURL: gateway?.url ?? '', apiKey: 'sk-not-used', maxRetries: 0 });
    const created = await client.messages.batches.create({
      requests: ['first', 'second'].map((id) => ({ custom_id: id, params: { model: 'bulk', max_tokens: 64, messages: [{ role: 'user' as const, content: `hello ${id}` }] } })),
    });
    const started = Date.now();
    let batch = created;
    while (batch.processing_status !== 'ended' && Date.now() - started < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      batch = await client.messages.batches.retrieve(created.id);
    }
    expect(batch.request_counts).toMatchObject({ succeeded: 2, errored: 0 });
    const results: Array<{ id: string; text: string | undefined }> = [];
    for await (const entry of await client.messages.batches.results(created.id)) {
      const block = entry.result.type === 'succeeded' ? entry.result.message.content[0] : undefined;
      results.push({ id: entry.custom_id, text: block?.type === 'text' ? block.text : undefined });
    }
    expect(results.map((r) => r.id).sort()).toEqual(['first', 'second']);
    for (const result of results) expect(result.text).toMatch(/^answer to sy-\d+$/);
    expect(fake?.submitted.size).toBe(1);
  });
});
