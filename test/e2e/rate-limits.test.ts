import Anthropic from '@anthropic-ai/sdk';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const ADMIN = 'admin-key-rate-limits-e2e';
let dir: string;
let gateway: TestGateway;

const CONFIG = (dbPath: string): string => `
server: { admin_key: ${ADMIN} }
storage: { url: "sqlite://${dbPath}" }
providers:
  sim:
    type: simulated
    simulated:
      models:
        fixed: { behavior: echo, usage: { input: 10, output: 5 } }
  busy: { type: simulated, limits: { rpm: 1 } }
  tight:
    type: simulated
    limits: { tpm: 1000 }
    simulated:
      models:
        fixed: { behavior: echo, usage: { input: 10, output: 5 } }
  spare: { type: simulated }
models:
  main: { targets: [{ provider: sim, model: fixed }] }
  limited: { targets: [{ provider: sim, model: fixed }], limits: { rpm: 1 } }
  pool: { targets: [{ provider: busy, model: echo }, { provider: spare, model: echo }] }
  only-busy: { targets: [{ provider: busy, model: echo }] }
  tight-tpm: { targets: [{ provider: tight, model: fixed }] }
`;

async function createKey(spec: Record<string, unknown>): Promise<string> {
  const response = await fetch(`${gateway.url}/admin/keys`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify(spec),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { secret: string }).secret;
}

const openai = (apiKey: string): OpenAI => new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey, maxRetries: 0 });
const ask = (client: OpenAI, model = 'main', maxTokens = 400) =>
  client.chat.completions.create({ model, max_tokens: maxTokens, messages: [{ role: 'user', content: 'limit me' }] }).withResponse();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-limits-'));
  gateway = await startTestGateway(CONFIG(join(dir, 'gateway.db')));
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('rate limits over HTTP', () => {
  it('refuses a key over its RPM with 429, retry-after and x-ratelimit-* in OpenAI format', async () => {
    const client = openai(await createKey({ name: 'rpm-2', rpm: 2 }));
    const first = await ask(client);
    expect(first.response.headers.get('x-ratelimit-limit-requests')).toBe('2');
    expect(first.response.headers.get('x-ratelimit-remaining-requests')).toBe('1');
    await ask(client);
    const refused = await ask(client).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
    const error = refused as InstanceType<typeof OpenAI.RateLimitError>;
    expect(error.code).toBe('rate_limited');
    expect(error.message).toContain('KEY RPM of 2 per minute');
    expect(Number(error.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(error.headers.get('x-ratelimit-remaining-requests')).toBe('0');
  });

  it('sends a stream the same x-ratelimit-*, request id, event-stream and served headers, each once', async () => {
    const secret = await createKey({ name: 'rpm-stream', rpm: 5, tpm: 100_000 });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'main', stream: true, max_tokens: 400, messages: [{ role: 'user', content: 'limit me' }] }),
    });
    await response.text();
    expect(response.status).toBe(200);
    // fetch joins a repeated header's values ('5, 5'), so the exact values also show each was sent once.
    expect(Object.fromEntries(['limit-requests', 'remaining-requests', 'reset-requests', 'limit-tokens', 'reset-tokens'].map((name) => [name, response.headers.get(`x-ratelimit-${name}`)]))).toEqual({
      'limit-requests': '5',
      'remaining-requests': '4',
      'reset-requests': expect.stringMatching(/^\d+s$/) as unknown,
      'limit-tokens': '100000',
      'reset-tokens': expect.stringMatching(/^\d+s$/) as unknown,
    });
    expect(Number(response.headers.get('x-ratelimit-remaining-tokens'))).toBeLessThan(100_000);
    expect(response.headers.get('x-request-id')).toMatch(/\S/);
    expect(response.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('no-cache');
    expect(response.headers.get('x-switchyard-provider')).toBe('sim');
    expect(response.headers.get('x-switchyard-attempts')).toBe('1');
  });

  it('reserves prompt + max output tokens up front and settles each request to its real usage', async () => {
    const client = openai(await createKey({ name: 'tpm-1000', tpm: 1000 }));
    // Each request reserves ~400 tokens but uses 15: without settlement the third would already be refused.
    let remaining = 0;
    for (let i = 0; i < 10; i++) {
      const { response } = await ask(client);
      remaining = Number(response.headers.get('x-ratelimit-remaining-tokens'));
    }
    // After nine settled requests (9 × 15) and the tenth's reservation, more than half the window is left.
    expect(remaining).toBeGreaterThan(1000 - 9 * 15 - 420);
    expect(remaining).toBeLessThan(1000 - 9 * 15 - 400);
    const tooBig = await ask(client, 'main', 900).catch((e: unknown) => e);
    expect(tooBig).toBeInstanceOf(OpenAI.RateLimitError);
    expect((tooBig as Error).message).toContain('KEY TPM of 1000');
  });

  it('applies an alias limit across every key', async () => {
    const one = openai(await createKey({ name: 'alias-a' }));
    const two = openai(await createKey({ name: 'alias-b' }));
    await ask(one, 'limited');
    await expect(ask(two, 'limited')).rejects.toThrow(/ALIAS RPM of 1/);
  });

  it('skips a deployment at its limit before it 429s, recording why, and 429s when every deployment is full', async () => {
    const client = openai('not-a-virtual-key');
    const first = await ask(client, 'pool');
    expect(first.response.headers.get('x-switchyard-provider')).toBe('busy');
    const second = await ask(client, 'pool');
    expect(second.response.headers.get('x-switchyard-provider')).toBe('spare');
    await eventually(() => gateway.requestLog.records.some((r) => r.provider === 'spare'));
    const record = gateway.requestLog.records.find((r) => r.provider === 'spare');
    expect(record?.routing?.find((d) => d.providerId === 'busy')).toMatchObject({ action: 'skip', reason: expect.stringContaining('deployment near its RPM limit') });
    const full = await ask(client, 'only-busy').catch((e: unknown) => e);
    expect(full).toBeInstanceOf(OpenAI.RateLimitError);
    expect((full as Error).message).toContain('Every deployment of model `only-busy` is at its rate limit');
  });

  it('gives a deployment back the unused part of each estimate, for answers and streams alike', async () => {
    // Each call reserves about 410 tokens (its prompt and max_tokens 400) of the deployment's 1,000 per minute and
    // uses 15: only settled reservations let the third call and those after it in.
    const client = openai('not-a-virtual-key');
    for (let i = 0; i < 3; i++) await ask(client, 'tight-tpm');
    for (let i = 0; i < 3; i++) {
      const stream = await client.chat.completions.create({ model: 'tight-tpm', max_tokens: 400, stream: true, messages: [{ role: 'user', content: 'limit me' }] });
      for await (const _chunk of stream) void _chunk;
    }
    const last = await ask(client, 'tight-tpm');
    expect(last.response.headers.get('x-switchyard-provider')).toBe('tight');
  });

  it('answers the Anthropic SDK in its own rate-limit format', async () => {
    const secret = await createKey({ name: 'anthropic-rpm', rpm: 1 });
    const client = new Anthropic({ baseURL: gateway.url, apiKey: secret, maxRetries: 0 });
    const send = () => client.messages.create({ model: 'main', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] });
    await send();
    const error = await send().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.RateLimitError);
    expect((error as InstanceType<typeof Anthropic.RateLimitError>).error).toMatchObject({ type: 'error', error: { type: 'rate_limit_error' } });
  });
});
