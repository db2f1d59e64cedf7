import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstreamOfEachFormat, type FakeUpstreamOfEachFormat, type TextScript } from '../fakes/index.js';
import { E2E_UPSTREAM_KEYS } from '../support/secret-markers.js';
import { createVirtualKey } from '../support/create-virtual-key.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

// Budgets and TPM settle on the usage the upstream reports. Same-format answers are forwarded in the upstream's own
// bytes (JSON and streams), so the usage must still be read from them in every format, or spend would stay at zero.

const ADMIN = 'admin-key-budget-formats';
const USAGE: TextScript = { kind: 'text', text: ['Hi', ' there'], usage: { input: 100, output: 50 } };
// $10,000 / $20,000 per million tokens: 100 in + 50 out = $1 + $1 = $2.00 a request.
const PRICE = '{ price: { input: 10000, output: 20000 } }';

let upstreams: FakeUpstreamOfEachFormat;
let gateway: TestGateway;

beforeAll(async () => {
  upstreams = await startFakeUpstreamOfEachFormat();
  gateway = await startTestGateway(`
server: { admin_key: ${ADMIN} }
auth: { require_keys: true }
providers:
  oai: { type: openai-compatible, base_url: ${upstreams.openai.url}/v1, api_key: ${E2E_UPSTREAM_KEYS.openai}, models: { priced: ${PRICE} } }
  ant: { type: anthropic, base_url: ${upstreams.anthropic.url}, api_key: ${E2E_UPSTREAM_KEYS.anthropic}, models: { priced: ${PRICE} } }
  gem: { type: gemini, base_url: "${upstreams.gemini.url}", api_key: ${E2E_UPSTREAM_KEYS.gemini}, models: { priced: ${PRICE} } }
models:
  priced: { targets: [{ provider: gem, model: priced }] }
`);
});
afterAll(async () => {
  await gateway.close();
  for (const upstream of Object.values(upstreams)) await upstream.close();
});

// $3: a JSON answer and a stream ($2 each, estimated at about $0.41 with max_tokens 20) fit; a third does not.
const createKey = (name: string) => createVirtualKey(gateway.url, ADMIN, { name, budget: { total_usd: 3 } });

/** The cost recorded for each of a key's requests, once `count` are recorded. */
async function costsOf(keyId: string, count: number): Promise<Array<number | undefined>> {
  const mine = () => gateway.requestLog.records.filter((record) => record.keyId === keyId);
  await eventually(() => mine().length >= count);
  return mine().map((record) => record.costUsd);
}

/** 'ok', or the error code a request was refused with. */
async function outcome(call: () => Promise<unknown>): Promise<string> {
  try {
    await call();
    return 'ok';
  } catch (error) {
    const { code, error: body } = error as { code?: string; error?: { error?: { type?: string } } };
    return code ?? body?.error?.type ?? String(error);
  }
}

describe('spend from same-format forwarded answers', () => {
  it('charges OpenAI JSON and stream answers forwarded from an OpenAI-compatible provider', async () => {
    const key = await createKey('openai-formats');
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key.secret, maxRetries: 0 });
    upstreams.openai.enqueue(USAGE, USAGE, USAGE);
    const ask = { model: 'oai/priced', max_tokens: 20, messages: [{ role: 'user' as const, content: 'hi' }] };
    await client.chat.completions.create(ask);
    const stream = await client.chat.completions.create({ ...ask, stream: true });
    for await (const _chunk of stream) void _chunk;
    expect(await costsOf(key.id, 2)).toEqual([2, 2]);
    expect(await outcome(() => client.chat.completions.create(ask))).toBe('budget_exceeded');
  });

  it('charges Anthropic JSON and stream answers forwarded from an Anthropic provider', async () => {
    const key = await createKey('anthropic-formats');
    const client = new Anthropic({ baseURL: gateway.url, apiKey: key.secret, maxRetries: 0 });
    upstreams.anthropic.enqueue(USAGE, USAGE, USAGE);
    const ask = { model: 'ant/priced', max_tokens: 20, messages: [{ role: 'user' as const, content: 'hi' }] };
    await client.messages.create(ask);
    const stream = await client.messages.create({ ...ask, stream: true });
    for await (const _event of stream) void _event;
    expect(await costsOf(key.id, 2)).toEqual([2, 2]);
    expect(await outcome(() => client.messages.create(ask))).toBe('rate_limit_error');
  });

  it('charges Gemini JSON and stream answers from a Gemini provider', async () => {
    const key = await createKey('gemini-formats');
    const ai = new GoogleGenAI({ apiKey: key.secret, httpOptions: { baseUrl: gateway.url } });
    upstreams.gemini.enqueue(USAGE, USAGE, USAGE);
    const ask = { model: 'priced', contents: 'hi', config: { maxOutputTokens: 20 } };
    await ai.models.generateContent(ask);
    const stream = await ai.models.generateContentStream(ask);
    for await (const _chunk of stream) void _chunk;
    expect(await costsOf(key.id, 2)).toEqual([2, 2]);
    expect(await outcome(() => ai.models.generateContent(ask))).toMatch(/429|RESOURCE_EXHAUSTED/);
  });
});
