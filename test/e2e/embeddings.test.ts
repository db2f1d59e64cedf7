import type { ServerResponse } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream, type Script } from '../fakes/index.js';
import { E2E_UPSTREAM_KEYS } from '../support/secret-markers.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

// Exactly representable in float32, so base64 round trips compare with toEqual.
const VECTORS = [
  [0.25, -0.5, 0.125, 1],
  [-0.75, 0.5, 0, 0.0625],
];

let openaiUpstream: FakeUpstream;
let geminiUpstream: FakeUpstream;
let gateway: TestGateway;
let client: OpenAI;

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

function float32Base64(vector: readonly number[]): string {
  return Buffer.from(new Float32Array(vector).buffer).toString('base64');
}

/** Answers like OpenAI's `/v1/embeddings`, in the encoding the request asked for. */
const openAIEmbeddings: Script = {
  kind: 'custom',
  handle: (_req, res, body) => {
    const base64 = typeof body === 'object' && body !== null && 'encoding_format' in body && body.encoding_format === 'base64';
    sendJson(res, 200, {
      object: 'list',
      data: VECTORS.map((vector, index) => ({ object: 'embedding', index, embedding: base64 ? float32Base64(vector) : vector })),
      model: 'text-embedding-3-small',
      usage: { prompt_tokens: 7, total_tokens: 7 },
    });
  },
};

const geminiEmbeddings: Script = {
  kind: 'custom',
  handle: (_req, res) => sendJson(res, 200, { embeddings: VECTORS.map((values) => ({ values })) }),
};

beforeAll(async () => {
  openaiUpstream = await startFakeUpstream('openai');
  geminiUpstream = await startFakeUpstream('gemini');
  gateway = await startTestGateway(`
defaults:
  retry: { attempts: 1 }
providers:
  oai: { type: openai, base_url: "${openaiUpstream.url}/v1", api_key: ${E2E_UPSTREAM_KEYS.openai} }
  gem: { type: gemini, base_url: "${geminiUpstream.url}", api_key: ${E2E_UPSTREAM_KEYS.gemini} }
  sim: { type: simulated }
models:
  embedder:
    targets: [{ provider: oai, model: text-embedding-3-small }]
  embedder-pair:
    targets: [{ provider: oai, model: text-embedding-3-small }, { provider: oai, model: text-embedding-3-large }]
  # Each executor test has deployments of its own, so one test's failures never open a breaker another relies on.
  embedder-failover:
    targets: [{ provider: oai, model: failover-first }, { provider: oai, model: failover-second }]
  embedder-retry:
    targets: [{ provider: oai, model: retry-only }]
    retry: { attempts: 3, base_delay_ms: 1, max_delay_ms: 1 }
  embedder-deadline:
    targets: [{ provider: oai, model: deadline-first }, { provider: oai, model: deadline-second }]
    timeouts: { total_ms: 300 }
  embedder-cross:
    targets: [{ provider: gem, model: text-embedding-004 }, { provider: oai, model: cross-second }]
  embedder-breaker:
    targets: [{ provider: oai, model: breaker-first }, { provider: oai, model: breaker-second }]
    breaker: { failure_threshold: 1, cooldown_ms: 600000 }
  embedder-client-fault:
    targets: [{ provider: oai, model: client-fault-first }, { provider: oai, model: client-fault-second }]
`);
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-e2e-embeddings-client', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
  await openaiUpstream.close();
  await geminiUpstream.close();
});
beforeEach(() => {
  openaiUpstream.requests.length = 0;
  geminiUpstream.requests.length = 0;
});

describe('POST /v1/embeddings through the OpenAI SDK', () => {
  it('decodes the SDK-default base64 vectors exactly, forwarding the upstream key and rewritten model', async () => {
    openaiUpstream.enqueue(openAIEmbeddings);
    const result = await client.embeddings.create({ model: 'embedder', input: ['first', 'second'] });
    expect(result.data.map((d) => d.embedding)).toEqual(VECTORS);
    expect(result.data.map((d) => d.index)).toEqual([0, 1]);
    expect(result.model).toBe('embedder');
    expect(result.usage).toEqual({ prompt_tokens: 7, total_tokens: 7 });
    const sent = openaiUpstream.requests[0]!;
    expect(sent.path).toBe('/v1/embeddings');
    expect(sent.headers.authorization).toBe(`Bearer ${E2E_UPSTREAM_KEYS.openai}`);
    expect(sent.body).toEqual({ model: 'text-embedding-3-small', input: ['first', 'second'], encoding_format: 'base64' });
  });

  it('returns float arrays when the client asks for encoding_format float', async () => {
    openaiUpstream.enqueue(openAIEmbeddings);
    const { data: result, response } = await client.embeddings
      .create({ model: 'oai/text-embedding-3-small', input: 'one string', encoding_format: 'float' })
      .withResponse();
    expect(result.data.map((d) => d.embedding)).toEqual(VECTORS);
    expect(response.headers.get('x-switchyard-provider')).toBe('oai');
    expect(openaiUpstream.requests[0]?.body).toEqual({ model: 'text-embedding-3-small', input: ['one string'], encoding_format: 'float' });
  });

  it('sends the raw base64 text when the client asks for it explicitly', async () => {
    openaiUpstream.enqueue(openAIEmbeddings);
    const result = await client.embeddings.create({ model: 'oai/text-embedding-3-small', input: ['a', 'b'], encoding_format: 'base64' });
    expect(result.data.map((d) => d.embedding)).toEqual(VECTORS.map(float32Base64));
  });

  it('calls Gemini batchEmbedContents with one request per input and returns its values', async () => {
    geminiUpstream.enqueue(geminiEmbeddings);
    const result = await client.embeddings.create({ model: 'gem/text-embedding-004', input: ['first', 'second'], dimensions: 4 });
    expect(result.data.map((d) => d.embedding)).toEqual(VECTORS);
    const sent = geminiUpstream.requests[0]!;
    expect(sent.path).toBe('/v1beta/models/text-embedding-004:batchEmbedContents');
    expect(sent.headers['x-goog-api-key']).toBe(E2E_UPSTREAM_KEYS.gemini);
    expect(sent.body).toEqual({
      requests: ['first', 'second'].map((text) => ({
        model: 'models/text-embedding-004',
        content: { parts: [{ text }] },
        outputDimensionality: 4,
      })),
    });
  });

  it('returns deterministic unit vectors from the simulated provider', async () => {
    const first = await client.embeddings.create({ model: 'sim/echo', input: ['alpha', 'beta'] });
    const again = await client.embeddings.create({ model: 'sim/echo', input: ['alpha'], encoding_format: 'float' });
    const [alpha, beta] = first.data.map((d) => d.embedding);
    expect(alpha).toHaveLength(8);
    expect(Math.hypot(...alpha!)).toBeCloseTo(1, 5);
    expect(beta).not.toEqual(alpha);
    // Base64 carries float32, so the float rendering matches it to float32 precision.
    again.data[0]!.embedding.forEach((value, i) => expect(value).toBeCloseTo(alpha![i]!, 6));
    const sized = await client.embeddings.create({ model: 'sim/echo', input: 'alpha', dimensions: 3 });
    expect(sized.data[0]?.embedding).toHaveLength(3);
  });

  it('maps an upstream failure to a 502 in the OpenAI error format without the upstream key', async () => {
    openaiUpstream.enqueue({ kind: 'error', status: 500 });
    const error = await client.embeddings.create({ model: 'embedder', input: 'x' }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    const apiError = error as InstanceType<typeof OpenAI.APIError>;
    expect(apiError.status).toBe(502);
    expect(apiError.error).toMatchObject({ message: expect.stringContaining('oai/text-embedding-3-small') as unknown, type: expect.any(String) as unknown });
    expect(apiError.message).not.toContain(E2E_UPSTREAM_KEYS.openai);
  });

  it('passes an upstream 400 through as a 400 invalid request', async () => {
    openaiUpstream.enqueue({ kind: 'error', status: 400 });
    const error = (await client.embeddings.create({ model: 'embedder', input: 'x' }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.error).toMatchObject({ type: 'invalid_request_error' });
  });

  it('fails over to the next target when the first fails, listing both attempts', async () => {
    openaiUpstream.enqueue({ kind: 'error', status: 500 }, openAIEmbeddings);
    const { data: result, response } = await client.embeddings.create({ model: 'embedder-failover', input: 'x' }).withResponse();
    expect(result.data.map((d) => d.embedding)).toEqual(VECTORS);
    expect(response.headers.get('x-switchyard-model')).toBe('failover-second');
    expect(response.headers.get('x-switchyard-attempts')).toBe('2');
    expect(openaiUpstream.requests.map((r) => (r.body as { model: string }).model)).toEqual(['failover-first', 'failover-second']);
    const record = gateway.requestLog.records.find((entry) => entry.id === response.headers.get('x-request-id'));
    expect(record?.attempts.map((a) => `${a.model}:${a.outcome}`)).toEqual(['failover-first:upstream_server_error', 'failover-second:ok']);
  });

  it('retries a 429 and a 503 on the same target, waiting what their retry hints ask', async () => {
    openaiUpstream.enqueue(
      { kind: 'error', status: 429, headers: { 'retry-after-ms': '25' } },
      { kind: 'error', status: 503, headers: { 'retry-after-ms': '30' } },
      openAIEmbeddings,
    );
    const { data: result, response } = await client.embeddings.create({ model: 'embedder-retry', input: 'x' }).withResponse();
    expect(result.data).toHaveLength(2);
    expect(response.headers.get('x-switchyard-attempts')).toBe('3');
    const record = gateway.requestLog.records.find((entry) => entry.id === response.headers.get('x-request-id'));
    expect(record?.attempts.map((a) => [a.status ?? 200, a.retryWaitMs])).toEqual([
      [429, 0],
      [503, 25],
      [200, 30],
    ]);
  });

  it('stops at the route total deadline with a 504, without trying the next target', async () => {
    openaiUpstream.enqueue({ kind: 'hang-before-headers' });
    const error = (await client.embeddings.create({ model: 'embedder-deadline', input: 'x' }).catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(504);
    await openaiUpstream.waitForClose(0);
    expect(openaiUpstream.requests).toHaveLength(1);
    const record = gateway.requestLog.records.find((entry) => entry.requestedModel === 'embedder-deadline');
    expect(record?.attempts.map((a) => a.outcome)).toEqual(['upstream_timeout']);
  });

  it('fails over from a Gemini batchEmbedContents target to an OpenAI one', async () => {
    geminiUpstream.enqueue({ kind: 'error', status: 503 });
    openaiUpstream.enqueue(openAIEmbeddings);
    const { data: result, response } = await client.embeddings.create({ model: 'embedder-cross', input: ['first', 'second'] }).withResponse();
    expect(result.data.map((d) => d.embedding)).toEqual(VECTORS);
    expect(response.headers.get('x-switchyard-provider')).toBe('oai');
    expect(geminiUpstream.requests.filter((r) => r.method === 'POST').map((r) => r.path)).toEqual(['/v1beta/models/text-embedding-004:batchEmbedContents']);
    const record = gateway.requestLog.records.find((entry) => entry.id === response.headers.get('x-request-id'));
    expect(record?.attempts.map((a) => `${a.provider}:${a.outcome}`)).toEqual(['gem:upstream_overloaded', 'oai:ok']);
  });

  it('skips a deployment whose breaker the failures opened, and records why', async () => {
    openaiUpstream.enqueue({ kind: 'error', status: 503 }, openAIEmbeddings, openAIEmbeddings);
    await client.embeddings.create({ model: 'embedder-breaker', input: 'x' });
    const { response } = await client.embeddings.create({ model: 'embedder-breaker', input: 'x' }).withResponse();
    expect(response.headers.get('x-switchyard-model')).toBe('breaker-second');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
    expect(openaiUpstream.requests.map((r) => (r.body as { model: string }).model)).toEqual(['breaker-first', 'breaker-second', 'breaker-second']);
    const record = gateway.requestLog.records.find((entry) => entry.id === response.headers.get('x-request-id'));
    expect(record?.routing).toContainEqual(expect.objectContaining({ model: 'breaker-first', action: 'skip', reason: 'breaker open' }));
  });

  it('does not fail over on a client error: the 400 goes straight back', async () => {
    // (The fake's default 400 is a context overflow, which does fail over: another target may have a larger window.)
    const invalidInput = { error: { message: "'input' : input must not be empty", type: 'invalid_request_error', param: 'input', code: null } };
    openaiUpstream.enqueue({ kind: 'error', status: 400, body: invalidInput });
    const error = (await client.embeddings.create({ model: 'embedder-client-fault', input: 'x' }).catch((e: unknown) => e)) as InstanceType<
      typeof OpenAI.APIError
    >;
    expect(error.status).toBe(400);
    expect(openaiUpstream.requests).toHaveLength(1);
  });

  it('aborts the upstream call when the client disconnects, without failing over or charging the upstream', async () => {
    const failuresOfFirst = async (): Promise<number> =>
      (await gateway.runtime.breakers.snapshot()).find((row) => row.model === 'text-embedding-3-small')?.consecutiveFailures ?? 0;
    const failuresBefore = await failuresOfFirst();
    openaiUpstream.enqueue({ kind: 'hang-before-headers' });
    const controller = new AbortController();
    const pending = fetch(`${gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'embedder-pair', input: 'x' }),
      signal: controller.signal,
    }).catch((e: unknown) => e);
    await openaiUpstream.waitForRequests(1);
    controller.abort();
    await pending;
    await openaiUpstream.waitForClose(0);
    const served = await client.embeddings.create({ model: 'sim/echo', input: 'still serving' });
    expect(served.data).toHaveLength(1);
    expect(openaiUpstream.requests).toHaveLength(1);
    const record = gateway.requestLog.records.find((entry) => entry.requestedModel === 'embedder-pair');
    expect(record?.errorCode).toBe('client_closed');
    // One attempt: the second target is not tried for a client that has gone, and it is not the upstream's failure.
    expect(record?.attempts.map((attempt) => `${attempt.model}:${attempt.outcome}`)).toEqual(['text-embedding-3-small:client_closed']);
    expect(await failuresOfFirst()).toBe(failuresBefore);
  });

  it('answers 404 in the OpenAI error format for an unknown model', async () => {
    const response = await fetch(`${gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'no-such-model', input: 'x' }),
    });
    expect(response.status).toBe(404);
    const body = (await response.json()) as { error: { message: string; type: string; code: string | null } };
    expect(body.error.message).toContain('no-such-model');
    expect(body.error.type).toEqual(expect.any(String));
    expect(openaiUpstream.requests).toHaveLength(0);
  });

  it('rejects a body without input with a 400 naming the field', async () => {
    const error = (await client.embeddings
      .create({ model: 'sim/echo' } as unknown as OpenAI.EmbeddingCreateParams)
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error.status).toBe(400);
    expect(error.message).toContain('input');
  });
});
