import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const CONFIG = `
server: { body_limit_bytes: 20000 }
providers:
  sim:
    type: simulated
    models:
      echo: { context_window: 400 }
      lorem: { context_window: 100000, price: { input: 1, output: 2 } }
      json: { capabilities: { json_schema: false } }
models:
  main:
    targets: [{ provider: sim, model: echo }]
  roomy:
    targets: [{ provider: sim, model: echo }, { provider: sim, model: lorem }]
`;

let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway(CONFIG);
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-client-not-used', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(`${gateway.url}${path}`, { method: 'POST', body, headers: { 'content-type': 'application/json', ...headers } });

describe('OpenAI SDK against the simulated provider', () => {
  it('answers a plain completion through an alias, with the gateway headers', async () => {
    const { data, response } = await client.chat.completions
      .create({ model: 'main', messages: [{ role: 'user', content: 'hello gateway' }] })
      .withResponse();
    expect(data.choices[0]?.message.content).toBe('hello gateway');
    expect(data.choices[0]?.finish_reason).toBe('stop');
    expect(data.model).toBe('main');
    expect(data.usage?.completion_tokens).toBeGreaterThan(0);
    expect(response.headers.get('x-switchyard-provider')).toBe('sim');
    expect(response.headers.get('x-switchyard-model')).toBe('echo');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(Number(response.headers.get('x-switchyard-overhead-ms'))).toBeGreaterThanOrEqual(0);
    expect(response.headers.get('x-request-id')).toBeTruthy();
  });

  it('honours max_tokens: stops after that many tokens, counts them and says length', async () => {
    const reply = await client.chat.completions.create({ model: 'sim/lorem', max_tokens: 5, messages: [{ role: 'user', content: 'x' }] });
    expect(reply.choices[0]?.message.content?.trim().split(' ')).toHaveLength(5);
    expect(reply.usage?.completion_tokens).toBe(5);
    expect(reply.choices[0]?.finish_reason).toBe('length');
    const stream = await client.chat.completions.create({
      model: 'sim/lorem',
      max_completion_tokens: 3,
      stream: true,
      stream_options: { include_usage: true },
      messages: [{ role: 'user', content: 'x' }],
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.filter((c) => c.choices[0]?.delta.content)).toHaveLength(3);
    expect(chunks.find((c) => c.usage)?.usage?.completion_tokens).toBe(3);
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0]?.finish_reason).toBe('length');
  });

  it('streams text and ends with a finish chunk; usage only when asked', async () => {
    const plain = await client.chat.completions.create({ model: 'sim/lorem', messages: [{ role: 'user', content: 'x' }], stream: true });
    const chunks = [];
    for await (const chunk of plain) chunks.push(chunk);
    expect(chunks.at(-1)?.choices[0]?.finish_reason).toBe('stop');
    expect(chunks.some((c) => c.usage)).toBe(false);
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text.split(' ')).toHaveLength(48);

    const withUsage = await client.chat.completions.create({
      model: 'sim/echo',
      messages: [{ role: 'user', content: 'count me' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const all = [];
    for await (const chunk of withUsage) all.push(chunk);
    const last = all.at(-1);
    expect(last?.choices).toEqual([]);
    expect(last?.usage?.completion_tokens).toBe(2);
  });

  it('streams two parallel tool calls that the SDK reassembles', async () => {
    const stream = client.chat.completions.stream({
      model: 'sim/tools',
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [
        { type: 'function', function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } } },
        { type: 'function', function: { name: 'get_time', parameters: { type: 'object', properties: { zone: { type: 'string' } } } } },
      ],
    });
    const final = await stream.finalChatCompletion();
    const calls = final.choices[0]?.message.tool_calls ?? [];
    expect(calls.map((c) => (c.type === 'function' ? [c.function.name, JSON.parse(c.function.arguments)] : []))).toEqual([
      ['get_weather', { city: 'sample' }],
      ['get_time', { zone: 'sample' }],
    ]);
    expect(final.choices[0]?.finish_reason).toBe('tool_calls');
  });

  it('echoes the client request id', async () => {
    const response = await post('/v1/chat/completions', JSON.stringify({ model: 'sim/echo', messages: [{ role: 'user', content: 'hi' }] }), {
      'x-request-id': 'req-abc-123',
    });
    expect(response.headers.get('x-request-id')).toBe('req-abc-123');
  });

  it('rejects malformed JSON with 400 in OpenAI format and keeps serving', async () => {
    const response = await post('/v1/chat/completions', '{"model": "sim/echo", "messages": [');
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { type: string; code: string; message: string } };
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.code).toBe('invalid_json');
    const ok = await client.chat.completions.create({ model: 'sim/echo', messages: [{ role: 'user', content: 'still here' }] });
    expect(ok.choices[0]?.message.content).toBe('still here');
  });

  it('quotes malformed JSON with non-ASCII text as sent, and reads the same text well-formed', async () => {
    const prompt = `${'An agent turn. '.repeat(40)}🤖 Generated — naïve`;
    const malformed = `{"model": "sim/echo", "messages": [{"role": "user", "content": "${prompt}"}], é}`;
    const response = await post('/v1/chat/completions', malformed);
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string; message: string } };
    const expected = ((): string => {
      try {
        return JSON.stringify(JSON.parse(malformed));
      } catch (error) {
        return (error as Error).message;
      }
    })();
    expect(body.error).toMatchObject({ code: 'invalid_json', message: `Request body is not valid JSON: ${expected}` });
    const ok = await client.chat.completions.create({ model: 'sim/echo', messages: [{ role: 'user', content: prompt }] });
    expect(ok.choices[0]?.message.content).toBe(prompt);
  });

  it('names the field path of a wrong type', async () => {
    const error = await client.chat.completions
      .create({ model: 'sim/echo', messages: [{ role: 'user', content: 42 as unknown as string }] })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    const apiError = error as InstanceType<typeof OpenAI.BadRequestError>;
    expect(apiError.message).toContain('messages[0].content');
    expect((apiError.error as { param?: string }).param).toBe('messages[0].content');
  });

  it('answers unknown models with 404 and a hint', async () => {
    const error = (await client.chat.completions
      .create({ model: 'no-such-model', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.NotFoundError>;
    expect(error).toBeInstanceOf(OpenAI.NotFoundError);
    expect(error.message).toContain('/v1/models');
  });

  it('answers oversized bodies with 413', async () => {
    const big = JSON.stringify({ model: 'sim/echo', messages: [{ role: 'user', content: 'x'.repeat(30000) }] });
    const response = await post('/v1/chat/completions', big);
    expect(response.status).toBe(413);
    const body = (await response.json()) as { error: { code: string } };
    expect(body.error.code).toBe('request_too_large');
  });

  it('lists aliases and provider/model names', async () => {
    const models = await client.models.list();
    const ids = models.data.map((m) => m.id);
    expect(ids).toEqual(expect.arrayContaining(['main', 'sim/echo', 'sim/lorem', 'sim/tools']));
  });

  it('reports upstream failures as 502 listing the attempts', async () => {
    const error = (await client.chat.completions
      .create({ model: 'sim/error', messages: [{ role: 'user', content: 'x' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(502);
    expect(error.message).toContain('sim/error: upstream_server_error');
  });

  it('writes a request record for every request, including rejected ones', async () => {
    const before = gateway.requestLog.records.length;
    await post('/v1/chat/completions', 'not json');
    await client.chat.completions.create({ model: 'sim/echo', messages: [{ role: 'user', content: 'r' }] });
    await eventually(() => gateway.requestLog.records.length >= before + 2);
    const [rejected, served] = gateway.requestLog.records.slice(before);
    expect(rejected).toMatchObject({ status: 400, errorCode: 'invalid_json' });
    expect(served).toMatchObject({ status: 200, provider: 'sim', model: 'echo', requestedModel: 'sim/echo' });
  });

  it('answers 400 context_length_exceeded with the counts when no target can hold the prompt', async () => {
    const long = 'tokens and more tokens '.repeat(200);
    const error = (await client.chat.completions
      .create({ model: 'sim/echo', messages: [{ role: 'user', content: long }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect((error.error as { code?: string }).code).toBe('context_length_exceeded');
    expect(error.message).toMatch(/\d+ tokens/);
  });

  it('skips a target whose window is too small and serves from the next', async () => {
    const long = 'tokens and more tokens '.repeat(200);
    const { response } = await client.chat.completions.create({ model: 'roomy', messages: [{ role: 'user', content: long }] }).withResponse();
    expect(response.headers.get('x-switchyard-model')).toBe('lorem');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
  });

  it('skips targets that lack a needed capability', async () => {
    const error = (await client.chat.completions
      .create({
        model: 'sim/json',
        messages: [{ role: 'user', content: 'x' }],
        response_format: { type: 'json_schema', json_schema: { name: 'r', schema: { type: 'object' } } },
      })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.BadRequestError>;
    expect(error.status).toBe(400);
    expect(error.message).toMatch(/json/i);
  });

  it('prices usage from the catalogue (here a config override) and reports the cost', async () => {
    const { data, response } = await client.chat.completions.create({ model: 'sim/lorem', messages: [{ role: 'user', content: 'cost me' }] }).withResponse();
    const expected = ((data.usage?.prompt_tokens ?? 0) * 1 + (data.usage?.completion_tokens ?? 0) * 2) / 1e6;
    expect(Number(response.headers.get('x-switchyard-cost-usd'))).toBeCloseTo(expected, 8);
    const id = response.headers.get('x-request-id');
    await eventually(() => gateway.requestLog.records.some((r) => r.id === id && r.costUsd !== undefined));
    expect(gateway.requestLog.records.find((r) => r.id === id)?.costUsd).toBeCloseTo(expected, 8);
  });

  it('exposes Prometheus metrics for served requests', async () => {
    await client.chat.completions.create({ model: 'main', messages: [{ role: 'user', content: 'metered' }] });
    const response = await fetch(`${gateway.url}/metrics`);
    expect(response.headers.get('content-type')).toContain('text/plain');
    const text = await response.text();
    expect(text).toMatch(/switchyard_requests_total\{[^}]*model="main"[^}]*\} \d+/);
    expect(text).toContain('switchyard_overhead_seconds_bucket');
  });

  it('serves health and readiness', async () => {
    expect((await fetch(`${gateway.url}/health`)).status).toBe(200);
    expect((await fetch(`${gateway.url}/ready`)).status).toBe(200);
  });
});
