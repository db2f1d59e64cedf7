import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryResponseCache } from '../../src/backends/cache/memory-response-cache.js';
import { manualClock } from '../support/manual-clock.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const CONFIG = `
cache: { ttl_ms: 60000 }
providers:
  sim:
    type: simulated
    models:
      echo: { price: { input: 1, output: 2 } }
models:
  cached:
    targets: [{ provider: sim, model: echo }]
    cache: { ttl_ms: 10000 }
  plain:
    targets: [{ provider: sim, model: echo }]
`;

let gateway: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;
const clock = manualClock();

beforeAll(async () => {
  gateway = await startTestGateway(CONFIG);
  // The cache's own clock, so entries expire when the test says so rather than after a real wait.
  gateway.runtime.responseCache = new MemoryResponseCache({ maxEntries: 100, maxBytes: 1_000_000 }, clock);
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-client-not-used', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-ant-client-not-used', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
});

const ask = (model: string, content: string, cache?: string) =>
  openai.chat.completions
    .create({ model, messages: [{ role: 'user', content }] }, cache ? { headers: { 'x-switchyard-cache': cache } } : {})
    .withResponse();

const recordOf = async (id: string | null) => {
  await eventually(() => gateway.requestLog.records.some((r) => r.id === id));
  return gateway.requestLog.records.find((r) => r.id === id);
};

describe('response cache', () => {
  it('misses, then serves the same request from the cache with no upstream attempt and zero cost', async () => {
    const first = await ask('cached', 'cache me once');
    expect(first.response.headers.get('x-switchyard-cache')).toBe('miss');
    expect(first.response.headers.get('x-switchyard-attempts')).toBe('1');
    const second = await ask('cached', 'cache me once');
    expect(second.response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(second.response.headers.get('x-switchyard-attempts')).toBe('0');
    expect(second.response.headers.get('x-switchyard-provider')).toBe('sim');
    expect(second.data.choices[0]?.message.content).toBe('cache me once');
    expect(second.data.usage).toEqual(first.data.usage);
    const record = await recordOf(second.response.headers.get('x-request-id'));
    expect(record).toMatchObject({ cache: 'hit', status: 200, costUsd: 0, attempts: [], provider: 'sim', model: 'echo' });
    expect((await recordOf(first.response.headers.get('x-request-id')))?.cache).toBe('miss');
  });

  it('keys on the answer-changing fields only: another temperature misses', async () => {
    await ask('cached', 'temperature matters');
    const other = await openai.chat.completions
      .create({ model: 'cached', temperature: 0.2, messages: [{ role: 'user', content: 'temperature matters' }] })
      .withResponse();
    expect(other.response.headers.get('x-switchyard-cache')).toBe('miss');
  });

  it('skip bypasses the cache; refresh calls upstream and replaces the entry', async () => {
    await ask('cached', 'skip and refresh');
    const skipped = await ask('cached', 'skip and refresh', 'skip');
    expect(skipped.response.headers.get('x-switchyard-cache')).toBeNull();
    expect(skipped.response.headers.get('x-switchyard-attempts')).toBe('1');
    const refreshed = await ask('cached', 'skip and refresh', 'refresh');
    expect(refreshed.response.headers.get('x-switchyard-cache')).toBe('miss');
    expect(refreshed.response.headers.get('x-switchyard-attempts')).toBe('1');
    expect((await ask('cached', 'skip and refresh')).response.headers.get('x-switchyard-cache')).toBe('hit');
  });

  it('is off for an alias without cache unless the request says use', async () => {
    expect((await ask('plain', 'opt in per request')).response.headers.get('x-switchyard-cache')).toBeNull();
    expect((await ask('plain', 'opt in per request', 'use')).response.headers.get('x-switchyard-cache')).toBe('miss');
    expect((await ask('plain', 'opt in per request', 'use')).response.headers.get('x-switchyard-cache')).toBe('hit');
    expect((await ask('plain', 'opt in per request')).response.headers.get('x-switchyard-cache')).toBeNull();
  });

  it("expires an entry after the alias's ttl_ms", async () => {
    await ask('cached', 'short lived');
    clock.advance(9_999);
    expect((await ask('cached', 'short lived')).response.headers.get('x-switchyard-cache')).toBe('hit');
    clock.advance(10_001);
    expect((await ask('cached', 'short lived')).response.headers.get('x-switchyard-cache')).toBe('miss');
  });

  it('replays a hit as a normal OpenAI stream, with usage when asked', async () => {
    await ask('cached', 'stream me back');
    const { data: stream, response } = await openai.chat.completions
      .create({ model: 'cached', stream: true, stream_options: { include_usage: true }, messages: [{ role: 'user', content: 'stream me back' }] })
      .withResponse();
    expect(response.headers.get('x-switchyard-cache')).toBe('hit');
    let text = '';
    let finish: string | null | undefined;
    let completionTokens: number | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      finish = chunk.choices[0]?.finish_reason ?? finish;
      completionTokens = chunk.usage?.completion_tokens ?? completionTokens;
    }
    expect(text).toBe('stream me back');
    expect(finish).toBe('stop');
    expect(completionTokens).toBeGreaterThan(0);
  });

  it('replays a hit as a normal Anthropic stream, and a streamed miss fills the cache for a non-streamed hit', async () => {
    const params = { model: 'cached', max_tokens: 100, messages: [{ role: 'user' as const, content: 'anthropic replay' }] };
    const missed = await anthropic.messages.create({ ...params, stream: true }).withResponse();
    expect(missed.response.headers.get('x-switchyard-cache')).toBe('miss');
    for await (const _event of missed.data) {
      // drain: the entry is stored once the stream has finished
    }
    const replayed = await anthropic.messages.create({ ...params, stream: true }).withResponse();
    expect(replayed.response.headers.get('x-switchyard-cache')).toBe('hit');
    const types: string[] = [];
    let text = '';
    for await (const event of replayed.data) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
    }
    expect(text).toBe('anthropic replay');
    expect(types[0]).toBe('message_start');
    expect(types.at(-1)).toBe('message_stop');
    const whole = await anthropic.messages.create(params).withResponse();
    expect(whole.response.headers.get('x-switchyard-cache')).toBe('hit');
    expect(whole.data.content[0]).toMatchObject({ type: 'text', text: 'anthropic replay' });
  });

  it('serves a hit to a Gemini client', async () => {
    const body = JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'gemini hit' }] }] });
    const post = () => fetch(`${gateway.url}/v1beta/models/cached:generateContent`, { method: 'POST', body, headers: { 'content-type': 'application/json' } });
    expect((await post()).headers.get('x-switchyard-cache')).toBe('miss');
    const hit = await post();
    expect(hit.headers.get('x-switchyard-cache')).toBe('hit');
    const json = (await hit.json()) as { candidates: Array<{ content: { parts: Array<{ text: string }> } }> };
    expect(json.candidates[0]?.content.parts[0]?.text).toBe('gemini hit');
  });

  it('rejects an unknown directive with a 400 in the client format', async () => {
    const error = await ask('cached', 'bad directive', 'sometimes').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error as InstanceType<typeof OpenAI.BadRequestError>).message).toContain('x-switchyard-cache must be use, skip or refresh');
  });

  it('counts hits and misses per configured model in Prometheus', async () => {
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    expect(text).toMatch(/switchyard_cache_lookups_total\{model="cached",result="hit"\} [1-9]/);
    expect(text).toMatch(/switchyard_cache_lookups_total\{model="cached",result="miss"\} [1-9]/);
  });
});
