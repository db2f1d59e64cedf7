import { afterEach, describe, expect, it } from 'vitest';
import { SecretScrubber, type CanonicalRequest, type ProviderSettings, type Target } from '../../core/index.js';
import type { DelegatedLine, DelegatedResult, DelegatedStatus, ProviderBatchApi } from '../../ports/provider-batch-api.js';
import { answerText, type FakeBatchApi, type FakeBatchOptions } from '../../../test/fakes/fake-batch-server.js';
import { startFakeAnthropicBatch } from '../../../test/fakes/start-fake-anthropic-batch.js';
import { startFakeGeminiBatch } from '../../../test/fakes/start-fake-gemini-batch.js';
import { startFakeOpenAIBatch } from '../../../test/fakes/start-fake-openai-batch.js';
import { UpstreamPools } from '../upstream-pools.js';
import { createProviderBatchApis } from './create-provider-batch-apis.js';

const KEY = 'sk-fake-batch-key-0123456789';

interface Case {
  type: 'openai' | 'anthropic' | 'gemini';
  model: string;
  start: (options: FakeBatchOptions) => Promise<FakeBatchApi>;
  /** The base URL the official SDK uses relative to the fake's origin. */
  basePath: string;
}

const CASES: Case[] = [
  { type: 'openai', model: 'gpt-4o-mini', start: startFakeOpenAIBatch, basePath: '/v1' },
  { type: 'anthropic', model: 'claude-haiku-4-5', start: startFakeAnthropicBatch, basePath: '' },
  { type: 'gemini', model: 'gemini-2.5-flash', start: startFakeGeminiBatch, basePath: '' },
];

const pools = new UpstreamPools();
const apis = createProviderBatchApis({ pools, secrets: new SecretScrubber([KEY]) });
let fake: FakeBatchApi | undefined;

afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

function targetFor(c: Case, url: string, apiKey = KEY): Target {
  const options = {} as never;
  const provider = { id: `${c.type}-batch`, type: c.type, baseUrl: `${url}${c.basePath}`, apiKey, headers: {}, options } as ProviderSettings;
  return { provider, model: c.model };
}

function chat(text: string): CanonicalRequest {
  return { model: 'ignored', messages: [{ role: 'user', content: [{ type: 'text', text }] }], maxOutputTokens: 64, stream: false } as CanonicalRequest;
}

function lines(...ids: string[]): DelegatedLine[] {
  return ids.map((customId) => ({ customId, kind: 'chat', request: chat(`summarise ${customId}`) }));
}

async function start(c: Case, options: FakeBatchOptions = {}): Promise<{ api: ProviderBatchApi; target: Target; fake: FakeBatchApi }> {
  fake = await c.start({ apiKey: KEY, ...options });
  const target = targetFor(c, fake.url);
  const api = apis.forTarget(target, 'chat');
  if (!api) throw new Error(`no batch api for ${c.type}`);
  return { api, target, fake };
}

async function untilDone(api: ProviderBatchApi, id: string, target: Target): Promise<DelegatedStatus> {
  for (let i = 0; i < 20; i += 1) {
    const status = await api.poll(id, target);
    if (status.state !== 'in_progress') return status;
  }
  throw new Error('batch never finished');
}

async function collect(results: AsyncIterable<DelegatedResult>): Promise<DelegatedResult[]> {
  const out: DelegatedResult[] = [];
  for await (const result of results) out.push(result);
  return out;
}

function textOf(result: DelegatedResult | undefined): string | undefined {
  if (!result?.ok || result.kind !== 'chat') return undefined;
  const part = result.response.content[0];
  return part?.type === 'text' ? part.text : undefined;
}

describe.each(CASES)('$type batch API against its fake', (c) => {
  it('completes a delegated job: every custom_id answered once, with its own answer, priced at half', async () => {
    const { api, target } = await start(c, { pollsToFinish: 2 });
    const ids = ['doc-1', 'doc-2', 'doc-3'];
    const id = await api.submit(lines(...ids), target);
    expect((await api.poll(id, target)).state).toBe('in_progress');
    const status = await untilDone(api, id, target);
    expect(status).toMatchObject({ state: 'completed', total: 3, completed: 3 });
    const results = await collect(api.results(id, target));
    expect(results.map((r) => r.customId).sort()).toEqual(ids);
    for (const result of results) {
      expect(textOf(result)).toBe(answerText(result.customId));
      expect(result.ok && result.usage).toMatchObject({ inputTokens: 12, outputTokens: 5 });
    }
    expect(api.priceFactor).toBe(0.5);
  });

  it('sends each line as the live adapter would, non-streaming, under its custom_id', async () => {
    const { api, target, fake: server } = await start(c);
    const id = await api.submit(lines('a', 'b'), target);
    const sent = server.submitted.get(id) ?? [];
    expect(sent.map((line) => line.customId)).toEqual(['a', 'b']);
    const body = JSON.stringify(sent[0]?.body);
    expect(body).toContain('summarise a');
    expect(body).not.toContain('"stream"');
  });

  it('answers each custom_id once even when the provider repeats result lines', async () => {
    const { api, target } = await start(c, { repeatResults: true });
    const id = await api.submit(lines('x', 'y'), target);
    await untilDone(api, id, target);
    const results = await collect(api.results(id, target));
    expect(results.map((r) => r.customId).sort()).toEqual(['x', 'y']);
  });

  it('returns a failed line as an error and leaves an expired line out for the job to report', async () => {
    const outcomes: Record<string, 'errored' | 'expired'> = { bad: 'errored', late: 'expired' };
    const { api, target } = await start(c, { outcomeFor: (customId) => outcomes[customId] ?? 'succeeded' });
    const id = await api.submit(lines('good', 'bad', 'late'), target);
    const status = await untilDone(api, id, target);
    expect(status.state).toBe(c.type === 'anthropic' ? 'completed' : 'expired');
    const results = await collect(api.results(id, target));
    expect(results.map((r) => r.customId).sort()).toEqual(['bad', 'good']);
    const bad = results.find((r) => r.customId === 'bad');
    expect(bad).toMatchObject({ ok: false, error: { code: 'upstream_bad_request', status: 400 } });
    expect(bad && !bad.ok && bad.error.message).toContain('bad');
  });

  it('propagates a cancel: the provider batch ends cancelled and the lines it never ran are absent', async () => {
    const { api, target, fake: server } = await start(c, { pollsToFinish: 5 });
    const id = await api.submit(lines('c1', 'c2'), target);
    await api.cancel(id, target);
    expect(server.calls.some((call) => call.method === 'POST' && /cancel/.test(call.path))).toBe(true);
    expect((await untilDone(api, id, target)).state).toBe('cancelled');
    expect(await collect(api.results(id, target))).toEqual([]);
  });

  it('fails a call the provider refuses with a GatewayError that names no key', async () => {
    fake = await c.start({ apiKey: KEY });
    const target = targetFor(c, fake.url, 'sk-wrong-key-0123456789');
    const api = apis.forTarget(target, 'chat');
    const failure = await api?.submit(lines('k'), target).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(failure).toMatchObject({ name: 'GatewayError', code: 'upstream_authentication' });
    expect(String((failure as Error).message)).not.toContain('sk-wrong');
  });
});

describe('provider batch APIs', () => {
  it('offers chat delegation on OpenAI, Anthropic and Gemini, embeddings on OpenAI only, nothing elsewhere', () => {
    const of = (type: string, kind: 'chat' | 'embedding') => apis.forTarget({ provider: { id: 'p', type, baseUrl: 'http://x', headers: {}, options: {} } as ProviderSettings, model: 'm' }, kind) !== undefined;
    expect([of('openai', 'chat'), of('anthropic', 'chat'), of('gemini', 'chat')]).toEqual([true, true, true]);
    expect([of('openai', 'embedding'), of('anthropic', 'embedding'), of('gemini', 'embedding')]).toEqual([true, false, false]);
    expect([of('deepseek', 'chat'), of('simulated', 'chat'), of('openai-compatible', 'chat')]).toEqual([false, false, false]);
  });

  it('uploads OpenAI input as a multipart JSONL file with purpose batch, and deletes it once the results are read', async () => {
    const c = CASES[0] as Case;
    const { api, target, fake: server } = await start(c);
    const id = await api.submit(lines('u1'), target);
    const upload = server.calls.find((call) => call.path === '/v1/files');
    expect(upload?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(upload?.body).toContain('name="purpose"');
    expect(upload?.body).toContain('"url":"/v1/chat/completions"');
    await untilDone(api, id, target);
    await collect(api.results(id, target));
    expect(server.calls.some((call) => call.method === 'DELETE' && call.path.startsWith('/v1/files/file-'))).toBe(true);
  });

  it('delegates OpenAI embeddings lines to /v1/embeddings', async () => {
    const c = CASES[0] as Case;
    const { target } = await start(c);
    const api = apis.forTarget(target, 'embedding');
    if (!api) throw new Error('no embeddings batch api');
    const id = await api.submit([{ customId: 'e1', kind: 'embedding', request: { model: 'text-embedding-3-small', input: ['hello', 'world'] } }], { ...target, model: 'text-embedding-3-small' });
    await untilDone(api, id, target);
    const [result] = await collect(api.results(id, target));
    expect(result).toMatchObject({ customId: 'e1', ok: true, kind: 'embedding', usage: { inputTokens: 12 } });
    expect(result?.ok && result.kind === 'embedding' && result.response.embeddings).toHaveLength(2);
  });

  it('maps custom_ids Anthropic would refuse there and back', async () => {
    const c = CASES[1] as Case;
    const { api, target, fake: server } = await start(c);
    const ids = ['report 2024.pdf', 'b64-looks-encoded', 'plain_id'];
    const id = await api.submit(lines(...ids), target);
    expect(server.submitted.get(id)?.every((line) => /^[a-zA-Z0-9_-]{1,64}$/.test(line.customId))).toBe(true);
    await untilDone(api, id, target);
    const results = await collect(api.results(id, target));
    expect(results.map((r) => r.customId).sort()).toEqual([...ids].sort());
    for (const result of results) expect(textOf(result)).toContain('answer to');
  });

  it('refuses a batch whose custom_ids repeat, before anything is sent', async () => {
    const c = CASES[2] as Case;
    const { api, target, fake: server } = await start(c);
    await expect(api.submit(lines('same', 'same'), target)).rejects.toMatchObject({ code: 'invalid_request' });
    expect(server.calls).toHaveLength(0);
  });
});
