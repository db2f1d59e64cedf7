import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { E2E_UPSTREAM_KEYS } from '../support/secret-markers.js';
import { createVirtualKey } from '../support/create-virtual-key.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

// A provider reports a stream's usage in its last chunk. A client that reads the answer and hangs up before that
// chunk still had the provider generate (and bill) it: its budget must be charged, not left at zero.

const ADMIN = 'admin-key-aborted-streams';
let upstream: FakeUpstream;
let anthropic: FakeUpstream;
let gateway: TestGateway;

/** Content at once; the usage chunk only after `usageAfterMs`, by when the client has gone. */
function answerThenLateUsage(res: ServerResponse, usageAfterMs: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"priced","choices":[{"index":0,"delta":{"role":"assistant","content":"Here is the whole answer."},"finish_reason":null}]}\n\n');
  res.write('data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"priced","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n');
  const late = setTimeout(() => res.end('data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"priced","choices":[],"usage":{"prompt_tokens":8,"completion_tokens":20,"total_tokens":28}}\n\ndata: [DONE]\n\n'), usageAfterMs);
  res.on('close', () => clearTimeout(late));
}

/** Anthropic's shape: input usage in `message_start`, the text, and the output usage only in a late `message_delta`. */
function anthropicThenLateUsage(res: ServerResponse, usageAfterMs: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.write('event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"priced","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":8,"output_tokens":1}}}\n\n');
  res.write('event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n');
  res.write('event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Here is the whole answer."}}\n\n');
  const late = setTimeout(
    () =>
      res.end(
        'event: content_block_stop\ndata: {"type":"content_block_stop","index":0}\n\nevent: message_delta\ndata: {"type":"message_delta","delta":{"stop_reason":"end_turn","stop_sequence":null},"usage":{"output_tokens":20}}\n\nevent: message_stop\ndata: {"type":"message_stop"}\n\n',
      ),
    usageAfterMs,
  );
  res.on('close', () => clearTimeout(late));
}

beforeAll(async () => {
  upstream = await startFakeUpstream('openai');
  anthropic = await startFakeUpstream('anthropic');
  gateway = await startTestGateway(`
server: { admin_key: ${ADMIN} }
auth: { require_keys: true }
providers:
  oai: { type: openai-compatible, base_url: ${upstream.url}/v1, api_key: ${E2E_UPSTREAM_KEYS.openai}, models: { priced: { price: { input: 1000, output: 2000 } } } }
  ant: { type: anthropic, base_url: ${anthropic.url}, api_key: ${E2E_UPSTREAM_KEYS.anthropic}, models: { priced: { price: { input: 1000, output: 2000 } } } }
`);
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
  await anthropic.close();
});

// Each request is estimated at about $0.05 (a few prompt tokens at $1,000 and 20 output tokens at $2,000 per million).
const createKey = () => createVirtualKey(gateway.url, ADMIN, { name: 'aborts', budget: { daily_usd: 0.1 } });

/** Streams a request, reads until the answer's text arrived, and hangs up; resolves to the response status. */
async function streamAndHangUp(secret: string, format: 'openai' | 'anthropic' = 'openai'): Promise<number> {
  const controller = new AbortController();
  const openai = format === 'openai';
  const response = await fetch(`${gateway.url}/v1/${openai ? 'chat/completions' : 'messages'}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${secret}`, 'content-type': 'application/json', ...(openai ? {} : { 'anthropic-version': '2023-06-01' }) },
    body: JSON.stringify({ model: `${openai ? 'oai' : 'ant'}/priced`, max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'answer me' }] }),
    signal: controller.signal,
  });
  if (response.status !== 200 || !response.body) return response.status;
  const reader = response.body.getReader();
  let seen = '';
  while (!seen.includes('whole answer')) {
    const { value, done } = await reader.read();
    if (done) break;
    seen += new TextDecoder().decode(value);
  }
  controller.abort();
  return response.status;
}

describe('budgets and streams the client abandons before their usage', () => {
  it('charges the reserved estimate, records it with a warning, and cuts the key off at its budget', async () => {
    const key = await createKey();
    for (let i = 0; i < 3; i++) upstream.enqueue({ kind: 'custom', handle: (_req, res) => answerThenLateUsage(res, 2_000) });
    expect(await streamAndHangUp(key.secret)).toBe(200);
    await eventually(() => gateway.requestLog.records.some((record) => record.keyId === key.id));
    const [record] = gateway.requestLog.records.filter((entry) => entry.keyId === key.id);
    expect(record?.costUsd).toBeGreaterThan(0.04);
    expect(record?.warnings.map((warning) => warning.code)).toContain('usage_estimated');
    expect(await streamAndHangUp(key.secret)).toBe(200);
    await eventually(() => gateway.requestLog.records.filter((entry) => entry.keyId === key.id).length === 2);
    expect(await streamAndHangUp(key.secret)).toBe(429);
  });

  it('charges the estimate, not the input alone, when an Anthropic stream is left before its output usage', async () => {
    const key = await createKey();
    anthropic.enqueue({ kind: 'custom', handle: (_req, res) => anthropicThenLateUsage(res, 2_000) });
    expect(await streamAndHangUp(key.secret, 'anthropic')).toBe(200);
    await eventually(() => gateway.requestLog.records.some((record) => record.keyId === key.id));
    const [record] = gateway.requestLog.records.filter((entry) => entry.keyId === key.id);
    // 8 input tokens alone would cost $0.008; the estimate counts the 20 output tokens the request may have used.
    expect(record?.costUsd).toBeGreaterThan(0.04);
    expect(record?.warnings.map((warning) => warning.code)).toContain('usage_estimated');
  });
});
