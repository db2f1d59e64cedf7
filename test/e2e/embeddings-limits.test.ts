import type { ServerResponse } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream, type Script } from '../fakes/index.js';
import { E2E_UPSTREAM_KEYS } from '../support/secret-markers.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const ADMIN = 'admin-key-embeddings-limits';
let dir: string;
let upstream: FakeUpstream;
let gateway: TestGateway;

/** OpenAI's `/v1/embeddings` answer, reporting 7 prompt tokens whatever the input (the settlement's evidence). */
const embeddings: Script = {
  kind: 'custom',
  handle: (_req, res: ServerResponse, body) => {
    const input = (body as { input: string[] }).input;
    res.writeHead(200, { 'content-type': 'application/json' }).end(
      JSON.stringify({
        object: 'list',
        data: input.map((_text, index) => ({ object: 'embedding', index, embedding: [0.25, 0.5] })),
        model: 'text-embedding-3-small',
        usage: { prompt_tokens: 7, total_tokens: 7 },
      }),
    );
  },
};

const CONFIG = (dbPath: string): string => `
server: { admin_key: ${ADMIN} }
storage: { url: "sqlite://${dbPath}" }
defaults:
  retry: { attempts: 1 }
providers:
  oai:
    type: openai
    base_url: "${upstream.url}/v1"
    api_key: ${E2E_UPSTREAM_KEYS.openai}
    models:
      text-embedding-3-small: { price: { input: 1000, output: 0 } }
  oai-limited: { type: openai, base_url: "${upstream.url}/v1", api_key: ${E2E_UPSTREAM_KEYS.openai}, limits: { rpm: 1 } }
models:
  embedder: { targets: [{ provider: oai, model: text-embedding-3-small }] }
  embedder-limited: { targets: [{ provider: oai, model: text-embedding-3-small }], limits: { rpm: 1 } }
  embedder-pool: { targets: [{ provider: oai-limited, model: text-embedding-3-small }, { provider: oai, model: text-embedding-3-small }] }
`;

async function createKey(spec: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const response = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  expect(response.status).toBe(201);
  const body = (await response.json()) as { data: { id: string }; secret: string };
  return { id: body.data.id, secret: body.secret };
}

const openai = (apiKey: string): OpenAI => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
const embed = (client: OpenAI, input: string | string[], model = 'embedder') =>
  client.embeddings.create({ model, input, encoding_format: 'float' }).withResponse();
const failureOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => 'served', (error: unknown) => error);
/** About 40 tokens for OpenAI's tokenizer. */
const FORTY_WORDS = 'word '.repeat(40).trim();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-embeddings-limits-'));
  upstream = await startFakeUpstream('openai', { defaultScript: embeddings });
  gateway = await startTestGateway(CONFIG(join(dir, 'gateway.db')));
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rate limits and budgets on /v1/embeddings', () => {
  it('counts embeddings against the key RPM: 429 with retry-after in OpenAI format past it', async () => {
    const client = openai((await createKey({ name: 'embed-rpm-2', rpm: 2 })).secret);
    const first = await embed(client, 'one');
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    await embed(client, 'two');
    const refused = await failureOf(embed(client, 'three'));
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as Error).message).toContain('KEY RPM of 2 per minute');
    expect(Number((refused as InstanceType<typeof OpenAI.RateLimitError>).headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('reserves the tokenizer estimate of the input against TPM and settles it to the upstream usage', async () => {
    const client = openai((await createKey({ name: 'embed-tpm-100', tpm: 100 })).secret);
    const remaining: number[] = [];
    for (let i = 0; i < 4; i++) {
      const { response } = await embed(client, FORTY_WORDS);
      remaining.push(Number(response.headers.get('x-ratelimit-remaining-tokens')));
    }
    // The first reservation is the estimate (~40); each later one sees the earlier requests settled to 7 tokens.
    expect(100 - (remaining[0] ?? 0)).toBeGreaterThanOrEqual(35);
    expect(100 - (remaining[0] ?? 0)).toBeLessThanOrEqual(45);
    expect(remaining.slice(1).map((value, i) => (remaining[i] ?? 0) - value)).toEqual([7, 7, 7]);
    const tooBig = await failureOf(embed(client, [FORTY_WORDS, FORTY_WORDS, FORTY_WORDS]));
    expect(tooBig).toBeInstanceOf(OpenAI.RateLimitError);
    expect((tooBig as Error).message).toContain('KEY TPM of 100');
  });

  it('applies alias limits across keys and skips a deployment at its limit', async () => {
    const one = openai((await createKey({ name: 'embed-alias-a' })).secret);
    const two = openai((await createKey({ name: 'embed-alias-b' })).secret);
    await embed(one, 'alias', 'embedder-limited');
    expect(await failureOf(embed(two, 'alias', 'embedder-limited'))).toBeInstanceOf(OpenAI.RateLimitError);
    const first = await embed(one, 'pool', 'embedder-pool');
    expect(first.response.headers.get('x-switchyard-provider')).toBe('oai-limited');
    const second = await embed(one, 'pool', 'embedder-pool');
    expect(second.response.headers.get('x-switchyard-provider')).toBe('oai');
  });

  it('records the price of the upstream usage and spends it from the key budget', async () => {
    // 7 tokens at $1,000 per million: $0.007 a request, estimated at ~$0.001 (1 token); a $0.02 budget admits three
    // (the third crosses it) and refuses the fourth.
    const key = await createKey({ name: 'embed-budget', budget: { daily_usd: 0.02 } });
    const client = openai(key.secret);
    const served = await embed(client, 'short');
    await embed(client, 'short');
    const id = served.response.headers.get('x-request-id');
    await eventually(() => gateway.requestLog.records.some((r) => r.id === id));
    expect(gateway.requestLog.records.find((r) => r.id === id)).toMatchObject({ keyId: key.id, costUsd: 0.007, usage: { inputTokens: 7 } });
    await embed(client, 'short');
    const refused = await failureOf(embed(client, 'short'));
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    expect((refused as { code?: string }).code).toBe('budget_exceeded');
  });
});
