import type { ServerResponse } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../src/config/load-config.js';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { E2E_UPSTREAM_KEYS } from '../support/secret-markers.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let upstream: FakeUpstream;
let gateway: TestGateway;

/** One deployment whose input price (USD per million tokens) the reload changes: 1 USD or 2 USD per token. */
const config = (inputPrice: number): string => `
defaults:
  retry: { attempts: 1 }
providers:
  up:
    type: openai
    base_url: "${upstream.url}/v1"
    api_key: ${E2E_UPSTREAM_KEYS.openai}
    models:
      priced-model: { price: { input: ${inputPrice}, output: 0 } }
models:
  chat: { targets: [{ provider: up, model: priced-model }] }
`;

function sendCompletion(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'application/json' }).end(
    JSON.stringify({
      id: 'chatcmpl-held',
      object: 'chat.completion',
      created: 0,
      model: 'priced-model',
      choices: [{ index: 0, message: { role: 'assistant', content: 'held' }, finish_reason: 'stop' }],
      usage: { prompt_tokens: 10, completion_tokens: 1, total_tokens: 11 },
    }),
  );
}

beforeAll(async () => {
  upstream = await startFakeUpstream('openai');
  gateway = await startTestGateway(config(1_000_000));
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

describe('a config reload while a request is in flight', () => {
  it('leaves the request on the snapshot it started with, down to the price on its record', async () => {
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    upstream.enqueue({ kind: 'custom', handle: (_req, res) => void held.then(() => sendCompletion(res)) });
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'sk-e2e-reload-snapshot-client', maxRetries: 0 });
    const pending = client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    await upstream.waitForRequests(1);

    const next = parseConfigText(config(2_000_000), 'reloaded.yaml', {});
    if (!next.config) throw new Error(`bad reload config: ${JSON.stringify(next.issues)}`);
    await gateway.reload(next.config);
    release();

    const { response } = await pending;
    expect(response.headers.get('x-switchyard-cost-usd')).toBe('10.00000000');
    const record = gateway.requestLog.records.find((entry) => entry.id === response.headers.get('x-request-id'));
    expect(record?.costUsd).toBe(10);

    // The next request takes the reloaded snapshot.
    upstream.enqueue({ kind: 'custom', handle: (_req, res) => sendCompletion(res) });
    const after = await client.chat.completions.create({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    expect(after.response.headers.get('x-switchyard-cost-usd')).toBe('20.00000000');
  });
});
