import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const LINES = 300;

const config = (dbPath: string): string => `
storage: { url: "sqlite://${dbPath}" }
batch: { poll_ms: 50, concurrency: 16, deployment_concurrency: 8 }
providers:
  sim:
    type: simulated
    simulated: { ttft_ms: 1, tokens_per_second: 0 }
    models:
      echo: { price: { input: 1, output: 2 } }
  slow:
    type: simulated
    simulated: { ttft_ms: 400, tokens_per_second: 0 }
models:
  bulk:
    targets: [{ provider: sim, model: echo }]
  # Each line takes 0.4 s: the job cannot finish before the cancel that follows its creation arrives.
  slow-bulk:
    targets: [{ provider: slow, model: echo }]
`;

let dir: string;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-batch-sdk-'));
  gateway = await startTestGateway(config(join(dir, 'gateway.db')), {}, { persist: true });
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-not-used', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Polls the batch until it reaches a final status. */
async function waitForEnd(id: string, timeoutMs = 15_000): Promise<OpenAI.Batch> {
  const started = Date.now();
  for (;;) {
    const batch = await client.batches.retrieve(id);
    if (['completed', 'failed', 'cancelled', 'expired'].includes(batch.status)) return batch;
    if (Date.now() - started > timeoutMs) throw new Error(`batch still ${batch.status}: ${JSON.stringify(batch.request_counts)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function jsonl(rows: readonly unknown[]): string {
  return rows.map((row) => (typeof row === 'string' ? row : JSON.stringify(row))).join('\n');
}

describe('OpenAI Files and Batch API through the official SDK', () => {
  it(`runs a batch of ${LINES} chat lines; malformed lines land in the error file, every custom_id once`, async () => {
    const rows: unknown[] = [];
    for (let i = 0; i < LINES; i++) {
      rows.push({ custom_id: `req-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'bulk', messages: [{ role: 'user', content: `line ${i}` }] } });
    }
    rows.push('{"custom_id": "broken", "method": "POST"'); // not JSON
    rows.push({ custom_id: 'wrong-url', method: 'POST', url: '/v1/embeddings', body: { model: 'bulk', input: 'x' } });
    rows.push({ custom_id: 'no-model', method: 'POST', url: '/v1/chat/completions', body: { messages: [{ role: 'user', content: 'x' }] } });
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl(rows)), 'lines.jsonl'), purpose: 'batch' });
    expect(file).toMatchObject({ object: 'file', purpose: 'batch', filename: 'lines.jsonl', bytes: Buffer.byteLength(jsonl(rows)) });
    expect((await client.files.retrieve(file.id)).id).toBe(file.id);

    const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h', metadata: { team: 'docs' } });
    expect(created).toMatchObject({ object: 'batch', endpoint: '/v1/chat/completions', input_file_id: file.id, metadata: { team: 'docs' } });
    const done = await waitForEnd(created.id);
    expect(done.status).toBe('completed');
    expect(done.request_counts).toEqual({ total: LINES + 3, completed: LINES, failed: 3 });

    const output = (await (await client.files.content(done.output_file_id as string)).text()).trim().split('\n').map((line) => JSON.parse(line) as {
      custom_id: string;
      response: { status_code: number; body: OpenAI.ChatCompletion };
      error: null;
    });
    expect(output).toHaveLength(LINES);
    expect(new Set(output.map((line) => line.custom_id)).size).toBe(LINES);
    const first = output.find((line) => line.custom_id === 'req-7');
    expect(first?.response.status_code).toBe(200);
    expect(first?.response.body.choices[0]?.message.content).toBe('line 7');
    expect(first?.response.body.object).toBe('chat.completion');
    expect(first?.error).toBeNull();

    const errors = (await (await client.files.content(done.error_file_id as string)).text()).trim().split('\n').map((line) => JSON.parse(line) as {
      custom_id: string | null;
      response: { status_code: number; body: { error: { message: string } } } | null;
      error: { code: string; message: string; line?: number } | null;
    });
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatchObject({ custom_id: null, response: null, error: { code: 'invalid_request', line: LINES + 1 } });
    expect(errors[0]?.error?.message).toMatch(/not valid JSON/);
    expect(errors[1]).toMatchObject({ custom_id: 'wrong-url', response: null, error: { message: "url must be the batch's endpoint /v1/chat/completions" } });
    expect(errors[2]).toMatchObject({ custom_id: 'no-model', response: { status_code: 400 } });

    const extension = (done as unknown as { switchyard: { cost_usd: number; pending: number } }).switchyard;
    expect(extension.cost_usd).toBeGreaterThan(0);
    expect(extension.pending).toBe(0);
  });

  it('lists batches and files with OpenAI pagination (after, limit, has_more)', async () => {
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl([{ custom_id: 'a', method: 'POST', url: '/v1/embeddings', body: { model: 'sim/echo', input: 'hi' } }])), 'e.jsonl'), purpose: 'batch' });
    const second = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/embeddings', completion_window: '24h' });
    const firstPage = await client.batches.list({ limit: 1 });
    expect(firstPage.data.map((batch) => batch.id)).toEqual([second.id]);
    expect(firstPage.has_more).toBe(true);
    const all: string[] = [];
    for await (const batch of client.batches.list({ limit: 1 })) all.push(batch.id);
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(new Set(all).size).toBe(all.length);
    const done = await waitForEnd(second.id);
    expect(done.request_counts).toMatchObject({ completed: 1, failed: 0 });
    const files = await client.files.list({ purpose: 'batch' });
    expect(files.data.some((entry) => entry.id === file.id)).toBe(true);
    await client.files.delete(file.id);
    await expect(client.files.retrieve(file.id)).rejects.toMatchObject({ status: 404 });
  });

  it('cancels a batch: finished lines stay answered, the rest are reported cancelled', async () => {
    const rows = Array.from({ length: 40 }, (_, i) => ({ custom_id: `c-${i}`, method: 'POST', url: '/v1/chat/completions', body: { model: 'slow-bulk', messages: [{ role: 'user', content: `c ${i}` }] } }));
    const file = await client.files.create({ file: await toFile(Buffer.from(jsonl(rows)), 'c.jsonl'), purpose: 'batch' });
    const created = await client.batches.create({ input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' });
    const cancelling = await client.batches.cancel(created.id);
    expect(['cancelling', 'cancelled']).toContain(cancelling.status);
    const ended = await waitForEnd(created.id);
    expect(ended.status).toBe('cancelled');
    expect((ended.request_counts?.completed ?? 0) + (ended.request_counts?.failed ?? 0)).toBe(40);
  });

  it('rejects a file with another purpose and a batch on an unknown file in OpenAI\'s error format', async () => {
    await expect(client.files.create({ file: await toFile(Buffer.from('{}'), 'x.jsonl'), purpose: 'fine-tune' })).rejects.toMatchObject({ status: 400 });
    await expect(client.batches.create({ input_file_id: 'file-nope', endpoint: '/v1/chat/completions', completion_window: '24h' })).rejects.toMatchObject({
      status: 400,
      error: { param: 'input_file_id' },
    });
  });
});
