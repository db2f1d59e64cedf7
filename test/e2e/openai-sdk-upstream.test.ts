import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const UPSTREAM_KEY = 'sk-upstream-secret-e2e-0001';

let upstream: FakeUpstream;
let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  upstream = await startFakeUpstream('openai');
  gateway = await startTestGateway(`
defaults:
  retry: { attempts: 1 }
  timeouts: { first_token_ms: 2000, stall_ms: 500 }
providers:
  oai:
    type: openai
    base_url: ${upstream.url}/v1
    api_key: ${UPSTREAM_KEY}
`);
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
});

async function stillServes(): Promise<void> {
  upstream.enqueue({ kind: 'text', text: 'alive' });
  const reply = await client.chat.completions.create({ model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: 'ping' }] });
  expect(reply.choices[0]?.message.content).toBe('alive');
}

describe('OpenAI SDK → gateway → OpenAI-format upstream', () => {
  it('forwards a plain completion with the upstream key and model rewritten', async () => {
    upstream.enqueue({ kind: 'text', text: 'Hello there.', usage: { input: 12, output: 3, cacheRead: 4 } });
    const reply = await client.chat.completions.create({ model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
    expect(reply.choices[0]?.message.content).toBe('Hello there.');
    expect(reply.usage).toMatchObject({ prompt_tokens: 16, completion_tokens: 3, prompt_tokens_details: { cached_tokens: 4 } });
    const sent = upstream.requests[0]!;
    expect(sent.path).toBe('/v1/chat/completions');
    expect(sent.headers.authorization).toBe(`Bearer ${UPSTREAM_KEY}`);
    expect(sent.body).toMatchObject({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }] });
  });

  it('streams text with include_usage and always asks the upstream for usage', async () => {
    upstream.enqueue({ kind: 'text', text: ['Hel', 'lo', ' world'], usage: { input: 5, output: 3 } });
    const stream = await client.chat.completions.create({
      model: 'oai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('Hello world');
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.at(-1)?.usage).toMatchObject({ prompt_tokens: 5, completion_tokens: 3 });
    expect(upstream.requests[0]?.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
  });

  it('hides the usage chunk the client did not ask for', async () => {
    upstream.enqueue({ kind: 'text', text: ['a', 'b'], usage: { input: 5, output: 2 } });
    const stream = await client.chat.completions.create({ model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: 'hi' }], stream: true });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.every((c) => !c.usage)).toBe(true);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
  });

  it('streams three parallel tool calls that reassemble exactly', async () => {
    const calls = [
      { id: 'call_a', name: 'get_weather', arguments: { city: 'Paris', unit: 'c' } },
      { id: 'call_b', name: 'get_weather', arguments: { city: 'Tokyo', unit: 'f' } },
      { id: 'call_c', name: 'get_time', arguments: { zone: 'UTC' } },
    ];
    upstream.enqueue({ kind: 'tool-calls', calls, argumentChunks: 4 });
    const final = await client.chat.completions
      .stream({
        model: 'oai/gpt-4o-mini',
        messages: [{ role: 'user', content: 'weather and time' }],
        tools: [
          { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' }, unit: { type: 'string' } } } } },
          { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } },
        ],
      })
      .finalChatCompletion();
    const got = (final.choices[0]?.message.tool_calls ?? []).map((c) => (c.type === 'function' ? { id: c.id, name: c.function.name, arguments: JSON.parse(c.function.arguments) } : {}));
    expect(got).toEqual(calls);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('maps an upstream 500 to 502 listing the attempt, without the upstream body or key, and keeps serving', async () => {
    upstream.enqueue({ kind: 'error', status: 500 });
    const error = (await client.chat.completions
      .create({ model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(502);
    expect(error.message).toContain('oai/gpt-4o-mini: upstream_server_error (HTTP 500)');
    expect(error.message).not.toContain(UPSTREAM_KEY);
    await stillServes();
  });

  it('ends a stream that fails after it began with an error the SDK raises', async () => {
    upstream.enqueue({ kind: 'error-after-start', chunksBefore: 2, text: 'one two three four' });
    const stream = await client.chat.completions.create({ model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
    const received: string[] = [];
    const failure = await (async () => {
      for await (const chunk of stream) received.push(chunk.choices[0]?.delta.content ?? '');
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(received.join('')).not.toBe('');
    await stillServes();
  });

  it('ends a stream that stalls after commit with an explicit error', async () => {
    upstream.enqueue({ kind: 'stall-after', chunks: 2, text: 'one two three four' });
    const stream = await client.chat.completions.create({ model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: 'x' }], stream: true });
    const failure = await (async () => {
      for await (const chunk of stream) void chunk;
    })().catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(String((failure as Error).message)).toMatch(/stall/);
    await upstream.waitForClose(0, 3000);
    await stillServes();
  });

  it('aborts the upstream call when the client disconnects', async () => {
    upstream.enqueue({ kind: 'text', text: Array.from({ length: 50 }, (_, i) => `w${i} `), delayMs: 50 });
    const controller = new AbortController();
    const stream = await client.chat.completions.create(
      { model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: 'long' }], stream: true },
      { signal: controller.signal },
    );
    let seen = 0;
    await (async () => {
      for await (const chunk of stream) {
        void chunk;
        if (++seen === 3) controller.abort();
      }
    })().catch(() => undefined);
    await upstream.waitForClose(0, 3000);
    expect(upstream.requests[0]?.closedEarly).toBe(true);
    await eventually(() => gateway.requestLog.records.some((r) => r.errorCode === 'client_closed'));
    await stillServes();
  });

  it('never writes the upstream key into logs', async () => {
    await stillServes();
    expect(gateway.logLines.filter((line) => line.includes(UPSTREAM_KEY))).toEqual([]);
  });
});
