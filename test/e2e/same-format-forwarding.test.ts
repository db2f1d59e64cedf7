import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { anthropicAdapter } from '../../src/providers/anthropic/index.js';
import { createOpenAICompatibleAdapter } from '../../src/providers/openai-compatible/create-openai-compatible-adapter.js';
import type { RequestLogRecord } from '../../src/ports/request-log.js';
import { startFakeUpstream, type FakeUpstream, type TextScript } from '../fakes/index.js';
import { comparableRecord } from '../support/answer-forwarding.js';
import { E2E_UPSTREAM_KEYS } from '../support/secret-markers.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let upstreams: Record<'openai' | 'anthropic', { primary: FakeUpstream; fallback: FakeUpstream }>;
let gateway: TestGateway;
let openai: OpenAI;
let anthropic: Anthropic;

beforeAll(async () => {
  upstreams = {
    openai: { primary: await startFakeUpstream('openai'), fallback: await startFakeUpstream('openai') },
    anthropic: { primary: await startFakeUpstream('anthropic'), fallback: await startFakeUpstream('anthropic') },
  };
  gateway = await startTestGateway(`
defaults:
  retry: { attempts: 1 }
  timeouts: { first_token_ms: 300, stall_ms: 300 }
providers:
  first: { type: openai, base_url: ${upstreams.openai.primary.url}/v1, api_key: ${E2E_UPSTREAM_KEYS.openai} }
  second: { type: openai-compatible, base_url: ${upstreams.openai.fallback.url}/v1, api_key: ${E2E_UPSTREAM_KEYS.openai} }
  claude-first: { type: anthropic, base_url: ${upstreams.anthropic.primary.url}, api_key: ${E2E_UPSTREAM_KEYS.anthropic} }
  claude-second: { type: anthropic, base_url: ${upstreams.anthropic.fallback.url}, api_key: ${E2E_UPSTREAM_KEYS.anthropic} }
models:
  chat:
    targets: [{ provider: first, model: gpt-4o-mini }, { provider: second, model: backup-model }]
  claude:
    targets: [{ provider: claude-first, model: claude-haiku-4-5 }, { provider: claude-second, model: claude-backup }]
`);
  openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
  anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  for (const { primary, fallback } of Object.values(upstreams)) {
    await primary.close();
    await fallback.close();
  }
});
afterEach(() => {
  vi.restoreAllMocks();
});

async function recordOf(requestId: string): Promise<RequestLogRecord> {
  await eventually(() => gateway.requestLog.records.some((record) => record.id === requestId));
  return gateway.requestLog.records.find((record) => record.id === requestId)!;
}

const HELLO: TextScript = { kind: 'text', text: ['Hello', ' there', '.'], usage: { input: 12, output: 3, cacheRead: 4 } };

/** An answer as the client's SDK read it. */
interface Answer {
  requestId: string;
  text: string;
  id: string;
  model: string;
  usage: unknown;
}

/** One client format: its SDK's calls, its upstreams, and how the gateway names its answers. */
interface ClientFormat {
  name: string;
  upstreams(): { primary: FakeUpstream; fallback: FakeUpstream };
  /** The model alias the client asks for. */
  model: string;
  idOf(requestId: string): string;
  /** Spies on whether the target's adapter offered a forwarder. */
  spyForwarder(): { mock: { results: Array<{ value: unknown }> } };
  /** The translating path: the adapter offers no forwarder, as for a target of another format. */
  translateAnswers(): void;
  ask(stream: boolean, includeUsage: boolean): Promise<Answer>;
  /** A stream read to its end (or its error). */
  readStream(): Promise<{ requestId: string; error: unknown }>;
  /** The usage the SDK reports for HELLO's 12 + 4 input and 3 output tokens. */
  helloUsage: Record<string, unknown>;
  /** Whether a stream without include_usage reports usage. */
  usageWithoutAsking: boolean;
}

const openAIFormat: ClientFormat = {
  name: 'an OpenAI client',
  upstreams: () => upstreams.openai,
  model: 'chat',
  idOf: (requestId) => `chatcmpl-${requestId}`,
  spyForwarder: () => vi.spyOn(createOpenAICompatibleAdapter('openai'), 'forwarderFor'),
  translateAnswers() {
    for (const type of ['openai', 'openai-compatible'] as const) vi.spyOn(createOpenAICompatibleAdapter(type), 'forwarderFor').mockReturnValue(undefined);
  },
  async ask(stream, includeUsage) {
    const messages = [{ role: 'user' as const, content: 'hi' }];
    if (!stream) {
      const { data, response } = await openai.chat.completions.create({ model: 'chat', messages }).withResponse();
      return { requestId: response.headers.get('x-request-id')!, text: data.choices[0]!.message.content!, id: data.id, model: data.model, usage: data.usage };
    }
    const { data, response } = await openai.chat.completions
      .create({ model: 'chat', messages, stream: true, ...(includeUsage ? { stream_options: { include_usage: true } } : {}) })
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
  },
  async readStream() {
    const { data, response } = await openai.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true }).withResponse();
    let error: unknown;
    try {
      for await (const _chunk of data) {
        // read to the end
      }
    } catch (caught) {
      error = caught;
    }
    return { requestId: response.headers.get('x-request-id')!, error };
  },
  helloUsage: { prompt_tokens: 16, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } },
  usageWithoutAsking: false,
};

/** Runs one exchange forwarded (the target's adapter offered a forwarder), then translated: the two paths' results. */
async function forwardedThenTranslated<T>(format: ClientFormat, exchange: () => Promise<T>): Promise<[T, T]> {
  const forwarding = format.spyForwarder();
  const fast = await exchange();
  expect(forwarding.mock.results.map((result) => result.value !== undefined)).toEqual([true]);
  vi.restoreAllMocks();
  format.translateAnswers();
  return [fast, await exchange()];
}

const ANTHROPIC_PARAMS = { model: 'claude', max_tokens: 64, messages: [{ role: 'user' as const, content: 'hi' }] };

const anthropicFormat: ClientFormat = {
  name: 'an Anthropic client',
  upstreams: () => upstreams.anthropic,
  model: 'claude',
  idOf: (requestId) => `msg_${requestId}`,
  spyForwarder: () => vi.spyOn(anthropicAdapter, 'forwarderFor'),
  translateAnswers() {
    vi.spyOn(anthropicAdapter, 'forwarderFor').mockReturnValue(undefined);
  },
  async ask(stream) {
    const read = stream
      ? await (async () => {
          const streamed = anthropic.messages.stream(ANTHROPIC_PARAMS);
          return { data: await streamed.finalMessage(), response: (await streamed.withResponse()).response };
        })()
      : await anthropic.messages.create(ANTHROPIC_PARAMS).withResponse();
    const { data, response } = read;
    const text = data.content.map((block) => (block.type === 'text' ? block.text : '')).join('');
    expect(data.stop_reason).toBe('end_turn');
    return { requestId: response.headers.get('x-request-id')!, text, id: data.id, model: data.model, usage: data.usage };
  },
  async readStream() {
    const streamed = anthropic.messages.stream(ANTHROPIC_PARAMS);
    let error: unknown;
    try {
      await streamed.finalMessage();
    } catch (caught) {
      error = caught;
    }
    const { response } = await streamed.withResponse();
    return { requestId: response.headers.get('x-request-id')!, error };
  },
  helloUsage: { output_tokens: 3, cache_read_input_tokens: 4 },
  usageWithoutAsking: true,
};

for (const format of [openAIFormat, anthropicFormat]) {
  describe(`same-format answers forwarded to ${format.name}`, () => {
    const cases: Array<[string, boolean, boolean]> = [
      ['JSON', false, false],
      ['a stream', true, false],
      ...(format.usageWithoutAsking ? [] : [['a stream with include_usage', true, true] as [string, boolean, boolean]]),
    ];
    for (const [label, stream, includeUsage] of cases) {
      it(`records ${label} exactly as the translating path does, and names it as the gateway does`, async () => {
        format.upstreams().primary.enqueue(HELLO, HELLO);
        const forwarding = format.spyForwarder();
        const fast = await format.ask(stream, includeUsage);
        expect(forwarding.mock.results.map((result) => result.value !== undefined)).toEqual([true]);
        vi.restoreAllMocks();
        format.translateAnswers();
        const slow = await format.ask(stream, includeUsage);
        for (const answer of [fast, slow]) {
          expect(answer.text).toBe('Hello there.');
          expect(answer.model).toBe(format.model);
          expect(answer.id).toBe(format.idOf(answer.requestId));
        }
        expect(fast.usage === undefined).toBe(slow.usage === undefined);
        if (!stream || includeUsage || format.usageWithoutAsking) expect(fast.usage).toMatchObject(format.helloUsage);
        expect(comparableRecord(await recordOf(fast.requestId))).toEqual(comparableRecord(await recordOf(slow.requestId)));
      });
    }

    it('fails over before the first token to the next target unseen, and records it as the translating path does', async () => {
      const stalled = async (): Promise<RequestLogRecord> => {
        format.upstreams().primary.enqueue({ kind: 'text', text: ['late'], ttftMs: 1000 });
        format.upstreams().fallback.enqueue(HELLO);
        const answer = await format.ask(true, false);
        expect(answer.text).toBe('Hello there.');
        expect(answer.model).toBe(format.model);
        return recordOf(answer.requestId);
      };
      const fast = await stalled();
      format.translateAnswers();
      const slow = await stalled();
      expect(fast.attempts.map((attempt) => attempt.outcome)).toEqual(['upstream_timeout', 'ok']);
      expect(comparableRecord(fast)).toEqual(comparableRecord(slow));
    });

    it('ends a stream that stalls after its first token with the gateway error, as the translating path does', async () => {
      const stalls = async (): Promise<{ record: RequestLogRecord; error: unknown }> => {
        format.upstreams().primary.enqueue({ kind: 'stall-after', chunks: 2, text: 'Hello there, how are you' });
        const { requestId, error } = await format.readStream();
        return { record: await recordOf(requestId), error };
      };
      const fast = await stalls();
      format.translateAnswers();
      const slow = await stalls();
      expect(fast.record.errorCode).toBe('upstream_stalled');
      expect(String(fast.error)).toBe(String(slow.error));
      expect(comparableRecord(fast.record)).toEqual(comparableRecord(slow.record));
    });

    it('ends a stream whose upstream sends an event that is not JSON after its first token with the gateway error, as the translating path does, and serves on', async () => {
      const malformed = async (): Promise<{ record: RequestLogRecord; error: unknown }> => {
        format.upstreams().primary.enqueue({ kind: 'malformed-after-start', chunksBefore: 2, text: 'Hello there, how are you' });
        const { requestId, error } = await format.readStream();
        return { record: await recordOf(requestId), error };
      };
      const [fast, slow] = await forwardedThenTranslated(format, malformed);
      expect(fast.error).toBeDefined();
      expect(String(fast.error)).toBe(String(slow.error));
      expect(fast.record.errorCode).toBe('upstream_malformed_response');
      expect(fast.record.attempts.map((attempt) => attempt.outcome)).toEqual(['upstream_malformed_response']);
      expect(comparableRecord(fast.record)).toEqual(comparableRecord(slow.record));
      vi.restoreAllMocks();
      format.upstreams().primary.enqueue(HELLO);
      expect((await format.ask(true, false)).text).toBe('Hello there.');
    });
  });
}

describe('same-format streams from an upstream that goes on after its end marker', () => {
  /** The gateway's raw answers, copied as the SDKs read them: the SDKs themselves skip what follows the end marker. */
  const bodies: Response[] = [];
  const copying = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const response = await fetch(input, init);
    bodies.push(response.clone());
    return response;
  };
  let copiedOpenAI: OpenAI;
  let copiedAnthropic: Anthropic;
  beforeAll(() => {
    copiedOpenAI = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0, fetch: copying });
    copiedAnthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0, fetch: copying });
  });

  /** Events of an SSE body, without their blank separator lines. */
  const eventsOf = (body: string): string[] => body.split('\n\n').filter((event) => event !== '');

  interface Read {
    text: string;
    events: string[];
    record: RequestLogRecord;
  }

  /** Reads the answer to HELLO with `trailing` after the upstream's end marker, forwarded, then translated. */
  async function bothPaths(format: ClientFormat, trailing: string[], read: () => Promise<{ text: string; requestId: string }>): Promise<Read[]> {
    const once = async (): Promise<Read> => {
      format.upstreams().primary.enqueue({ ...HELLO, trailing });
      const { text, requestId } = await read();
      return { text, events: eventsOf(await bodies.at(-1)!.text()), record: await recordOf(requestId) };
    };
    const [fast, slow] = await forwardedThenTranslated(format, once);
    expect(fast.record.errorCode).toBeUndefined();
    expect(comparableRecord(fast.record)).toEqual(comparableRecord(slow.record));
    return [fast, slow];
  }

  const lateChunk = (fields: string): string => `{"id":"chatcmpl-late","object":"chat.completion.chunk","created":1,"model":"late",${fields}}`;
  const afterDone: Record<string, string[]> = {
    'more frames': [
      lateChunk('"choices":[{"index":0,"delta":{"content":" late"},"finish_reason":null}]'),
      lateChunk('"choices":[],"usage":{"prompt_tokens":1,"completion_tokens":1,"total_tokens":2}'),
      '{"error":{"message":"late","type":"server_error"}}',
      '[DONE]',
    ],
    'a frame that is not JSON': ['{"id":"chatcmpl-late","choices":[{"index":0,"delta":{"content":" late', lateChunk('"choices":[]')],
  };
  for (const [label, trailing] of Object.entries(afterDone)) {
    it(`gives an OpenAI client one [DONE], last, and the translating path's record when the upstream sends ${label} after [DONE]`, async () => {
      const answers = await bothPaths(openAIFormat, trailing, async () => {
        const { data, response } = await copiedOpenAI.chat.completions
          .create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }], stream: true })
          .withResponse();
        let text = '';
        for await (const chunk of data) text += chunk.choices[0]?.delta.content ?? '';
        return { text, requestId: response.headers.get('x-request-id')! };
      });
      for (const { text, events } of answers) {
        expect(text).toBe('Hello there.');
        expect(events.filter((event) => event === 'data: [DONE]')).toHaveLength(1);
        expect(events.at(-1)).toBe('data: [DONE]');
        expect(events.join('\n')).not.toContain('late');
      }
    });
  }

  const afterStop: Record<string, string[]> = {
    'more events': ['{"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":" late"}}'],
    'an event that is not JSON': ['{"type":"content_block_delta","index":0,"delta":{"type":"text_del', 'not json'],
  };
  for (const [label, trailing] of Object.entries(afterStop)) {
    it(`gives an Anthropic client message_stop last, and the translating path's record when the upstream sends ${label} after message_stop`, async () => {
      const answers = await bothPaths(anthropicFormat, trailing, async () => {
        const streamed = copiedAnthropic.messages.stream(ANTHROPIC_PARAMS);
        const message = await streamed.finalMessage();
        const { response } = await streamed.withResponse();
        return { text: message.content.map((block) => (block.type === 'text' ? block.text : '')).join(''), requestId: response.headers.get('x-request-id')! };
      });
      for (const { text, events } of answers) {
        expect(text).toBe('Hello there.');
        expect(events.at(-1)).toMatch(/^event: message_stop\n/);
        expect(events.join('\n')).not.toContain('late');
      }
    });
  }
});
