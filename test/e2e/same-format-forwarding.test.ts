import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createOpenAICompatibleAdapter } from '../../src/providers/openai-compatible/create-openai-compatible-adapter.js';
import type { RequestLogRecord } from '../../src/ports/request-log.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { E2E_UPSTREAM_KEYS } from '../support/secret-markers.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let primary: FakeUpstream;
let fallback: FakeUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  primary = await startFakeUpstream('openai');
  fallback = await startFakeUpstream('openai');
  gateway = await startTestGateway(`
defaults:
  retry: { attempts: 1 }
  timeouts: { first_token_ms: 300, stall_ms: 300 }
providers:
  first: { type: openai, base_url: ${primary.url}/v1, api_key: ${E2E_UPSTREAM_KEYS.openai} }
  second: { type: openai-compatible, base_url: ${fallback.url}/v1, api_key: ${E2E_UPSTREAM_KEYS.openai} }
models:
  chat:
    targets: [{ provider: first, model: gpt-4o-mini }, { provider: second, model: backup-model }]
`);
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await primary.close();
  await fallback.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

/** The translating path: the OpenAI adapter offers no forwarder, as for a target of another format. */
function translateAnswers(): void {
  for (const type of ['openai', 'openai-compatible'] as const) vi.spyOn(createOpenAICompatibleAdapter(type), 'forwarderFor').mockReturnValue(undefined);
}

/** The record without what differs between two runs of one exchange: ids and timings. */
function comparable(record: RequestLogRecord): unknown {
  const { id: _id, startedAt: _started, latencyMs: _latency, overheadMs: _overhead, ttftMs: _ttft, ...rest } = record;
  return { ...rest, attempts: record.attempts.map(({ latencyMs: _ms, startOffsetMs: _offset, ...attempt }) => attempt) };
}

async function recordOf(requestId: string): Promise<RequestLogRecord> {
  await eventually(() => gateway.requestLog.records.some((record) => record.id === requestId));
  return gateway.requestLog.records.find((record) => record.id === requestId)!;
}

const HELLO: Parameters<FakeUpstream['enqueue']>[0] = { kind: 'text', text: ['Hello', ' there', '.'], usage: { input: 12, output: 3, cacheRead: 4 } };

/** One chat request from the official SDK; the upstreams answer with what the caller queued. */
async function ask(stream: boolean, includeUsage = false): Promise<{ requestId: string; text: string; id: string; model: string; usage: unknown }> {
  if (!stream) {
    const { data, response } = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    return { requestId: response.headers.get('x-request-id')!, text: data.choices[0]!.message.content!, id: data.id, model: data.model, usage: data.usage };
  }
  const { data, response } = await client.chat.completions
    .create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) })
    .withResponse();
  let text = '';
  const ids = new Set<string>();
  const models = new Set<string>();
  let usage: unknown;
  for await (const chunk of data) {
    text += chunk.choices[0]?.delta.content ?? '';
    ids.add(chunk.id);
    models.add(chunk.model);
    usage ??= chunk.usage ?? undefined;
  }
  expect(ids.size).toBe(1);
  expect(models.size).toBe(1);
  return { requestId: response.headers.get('x-request-id')!, text, id: [...ids][0]!, model: [...models][0]!, usage };
}

describe('same-format answers forwarded to an OpenAI client', () => {
  for (const [label, stream, includeUsage] of [
    ['JSON', false, false],
    ['a stream', true, false],
    ['a stream with include_usage', true, true],
  ] as const) {
    it(`records ${label} exactly as the translating path does, and names it as the gateway does`, async () => {
      primary.enqueue(HELLO, HELLO);
      const fast = await ask(stream, includeUsage);
      translateAnswers();
      const slow = await ask(stream, includeUsage);
      for (const answer of [fast, slow]) {
        expect(answer.text).toBe('Hello there.');
        expect(answer.model).toBe('chat');
        expect(answer.id).toBe(`chatcmpl-${answer.requestId}`);
      }
      expect(fast.usage === undefined).toBe(slow.usage === undefined);
      if (!stream || includeUsage) expect(fast.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } });
      expect(comparable(await recordOf(fast.requestId))).toEqual(comparable(await recordOf(slow.requestId)));
    });
  }

  it('fails over before the first token to the next target unseen, and records it as the translating path does', async () => {
    const stalled = async (): Promise<RequestLogRecord> => {
      primary.enqueue({ kind: 'text', text: ['late'], ttftMs: 1000 });
      fallback.enqueue(HELLO);
      const answer = await ask(true);
      expect(answer.text).toBe('Hello there.');
      expect(answer.model).toBe('chat');
      return recordOf(answer.requestId);
    };
    const fast = await stalled();
    translateAnswers();
    const slow = await stalled();
    expect(fast.attempts.map((attempt) => attempt.outcome)).toEqual(['upstream_timeout', 'ok']);
    expect(comparable(fast)).toEqual(comparable(slow));
  });

  it('ends a stream that stalls after its first token with the gateway error, as the translating path does', async () => {
    const stalls = async (): Promise<{ record: RequestLogRecord; error: unknown }> => {
      primary.enqueue({ kind: 'stall-after', chunks: 2, text: 'Hello there, how are you' });
      const { data, response } = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true }).withResponse();
      let error: unknown;
      try {
        for await (const _chunk of data) {
          // read to the end
        }
      } catch (caught) {
        error = caught;
      }
      return { record: await recordOf(response.headers.get('x-request-id')!), error };
    };
    const fast = await stalls();
    translateAnswers();
    const slow = await stalls();
    expect(fast.record.errorCode).toBe('upstream_stalled');
    expect(String(fast.error)).toBe(String(slow.error));
    expect(comparable(fast.record)).toEqual(comparable(slow.record));
  });
});
