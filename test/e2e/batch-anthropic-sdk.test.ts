import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const ADMIN = 'batch-anthropic-admin';
let dir: string;
let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-batch-anthropic-'));
  gateway = await startTestGateway(`server: { admin_key: ${ADMIN} }\nstorage: { url: "sqlite://${join(dir, 'gateway.db')}" }\nbatch: { poll_ms: 50, concurrency: 2, chunk_size: 2 }\nproviders:\n  sim: { type: simulated, simulated: { ttft_ms: 30, tokens_per_second: 0 } }\n`, {}, { persist: true });
  client = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-ant-not-used', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('Anthropic Message Batches through the official SDK', () => {
  it('creates, retrieves, lists and reads the results of a batch; an invalid request is errored, not fatal', async () => {
    const requests = Array.from({ length: 12 }, (_, i) => ({
      custom_id: `m-${i}`,
      params: { model: 'sim/echo', max_tokens: 64, messages: [{ role: 'user' as const, content: `hello ${i}` }] },
    }));
    requests.push({ custom_id: 'bad', params: { max_tokens: 64, messages: [{ role: 'user', content: 'no model' }] } as (typeof requests)[number]['params'] });
    const created = await client.messages.batches.create({ requests });
    expect(created).toMatchObject({ type: 'message_batch', processing_status: 'in_progress' });
    let batch = created;
    for (let i = 0; i < 200 && batch.processing_status !== 'ended'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      batch = await client.messages.batches.retrieve(created.id);
    }
    expect(batch.processing_status).toBe('ended');
    expect(batch.request_counts).toMatchObject({ succeeded: 12, errored: 1, processing: 0 });
    const results: Anthropic.Messages.Batches.MessageBatchIndividualResponse[] = [];
    for await (const entry of await client.messages.batches.results(created.id)) results.push(entry);
    expect(results).toHaveLength(13);
    const third = results.find((entry) => entry.custom_id === 'm-3');
    expect(third?.result.type).toBe('succeeded');
    if (third?.result.type === 'succeeded') expect(third.result.message.content[0]).toMatchObject({ type: 'text', text: 'hello 3' });
    expect(results.find((entry) => entry.custom_id === 'bad')?.result.type).toBe('errored');
    // The dashboard's download: the same entries, as JSON lines, through the admin API.
    const download = await fetch(`${gateway.url}/admin/batches/${created.id}/results`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(download.headers.get('content-type')).toContain('application/jsonl');
    const downloaded = (await download.text()).trim().split('\n').map((line) => JSON.parse(line) as { custom_id: string });
    expect(downloaded.map((entry) => entry.custom_id)).toEqual(results.map((entry) => entry.custom_id));
    const unknown = await fetch(`${gateway.url}/admin/batches/msgbatch_nope/results`, { headers: { authorization: `Bearer ${ADMIN}` } });
    expect(unknown.status).toBe(404);
    const listed = await client.messages.batches.list({ limit: 10 });
    expect(listed.data.map((entry) => entry.id)).toContain(created.id);
  });

  it('cancels a batch: it ends with every request accounted for', async () => {
    const requests = Array.from({ length: 30 }, (_, i) => ({ custom_id: `c-${i}`, params: { model: 'sim/echo', max_tokens: 16, messages: [{ role: 'user' as const, content: `c${i}` }] } }));
    const created = await client.messages.batches.create({ requests });
    const cancelling = await client.messages.batches.cancel(created.id);
    expect(['canceling', 'ended']).toContain(cancelling.processing_status);
    let batch = cancelling;
    for (let i = 0; i < 200 && batch.processing_status !== 'ended'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      batch = await client.messages.batches.retrieve(created.id);
    }
    const results: string[] = [];
    for await (const entry of await client.messages.batches.results(created.id)) results.push(entry.custom_id);
    expect(new Set(results).size).toBe(30);
  });
});
