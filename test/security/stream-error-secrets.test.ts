import type { ServerResponse } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { ODD_SHAPED_SECRETS } from '../support/secret-markers.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

// A provider that fails mid-stream and quotes the key it was sent in its error event: the stream is already
// committed to the client (same format, forwarded), so the error goes out in-stream, and must go out scrubbed.

const { apiKey: ODD_KEY } = ODD_SHAPED_SECRETS;
const MESSAGE = `Key ${ODD_KEY} exceeded its quota`;

let upstreams: Record<'openai' | 'anthropic', FakeUpstream>;
let gateway: TestGateway;

function sse(res: ServerResponse, frames: string[]): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  res.end(frames.join(''));
}

beforeAll(async () => {
  upstreams = { openai: await startFakeUpstream('openai'), anthropic: await startFakeUpstream('anthropic') };
  gateway = await startTestGateway(`
defaults:
  retry: { attempts: 1 }
providers:
  oai: { type: openai-compatible, base_url: ${upstreams.openai.url}/v1, api_key: "${ODD_KEY}" }
  ant: { type: anthropic, base_url: ${upstreams.anthropic.url}, api_key: "${ODD_KEY}" }
`);
});
afterAll(async () => {
  await gateway.close();
  for (const upstream of Object.values(upstreams)) await upstream.close();
});

async function post(path: string, headers: Record<string, string>, body: unknown): Promise<string> {
  const response = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  return response.text();
}

describe('an upstream error event quoting the provider key, mid-stream', () => {
  it('reaches an OpenAI client scrubbed', async () => {
    upstreams.openai.enqueue({
      kind: 'custom',
      handle: (_req, res) =>
        sse(res, [
          'data: {"id":"c1","object":"chat.completion.chunk","created":1,"model":"m","choices":[{"index":0,"delta":{"role":"assistant","content":"Hel"},"finish_reason":null}]}\n\n',
          `data: ${JSON.stringify({ error: { message: MESSAGE, type: 'server_error' } })}\n\n`,
        ]),
    });
    const text = await post('/v1/chat/completions', {}, { model: 'oai/m', stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(text).toContain('Hel');
    expect(text).toContain('exceeded its quota');
    expect(text).not.toContain(ODD_KEY);
    await eventually(() => gateway.requestLog.records.length >= 1);
    expect(JSON.stringify(gateway.requestLog.records)).not.toContain(ODD_KEY);
  });

  it('reaches an Anthropic client scrubbed', async () => {
    upstreams.anthropic.enqueue({
      kind: 'custom',
      handle: (_req, res) =>
        sse(res, [
          'event: message_start\ndata: {"type":"message_start","message":{"id":"msg_1","type":"message","role":"assistant","model":"m","content":[],"stop_reason":null,"stop_sequence":null,"usage":{"input_tokens":3,"output_tokens":1}}}\n\n',
          'event: content_block_start\ndata: {"type":"content_block_start","index":0,"content_block":{"type":"text","text":""}}\n\n',
          'event: content_block_delta\ndata: {"type":"content_block_delta","index":0,"delta":{"type":"text_delta","text":"Hel"}}\n\n',
          `event: error\ndata: ${JSON.stringify({ type: 'error', error: { type: 'overloaded_error', message: MESSAGE } })}\n\n`,
        ]),
    });
    const text = await post('/v1/messages', { 'x-api-key': 'client', 'anthropic-version': '2023-06-01' }, { model: 'ant/m', max_tokens: 20, stream: true, messages: [{ role: 'user', content: 'hi' }] });
    expect(text).toContain('Hel');
    expect(text).toContain('exceeded its quota');
    expect(text).not.toContain(ODD_KEY);
  });
});
