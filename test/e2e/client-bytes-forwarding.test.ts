import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIN_KEPT_JSON_BYTES } from '../../src/http/json-body.js';
import { startFakeUpstreamOfEachFormat, type FakeUpstreamOfEachFormat, type FakeUpstream } from '../fakes/index.js';
import { E2E_UPSTREAM_KEYS } from '../support/secret-markers.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

// A same-format request goes upstream as the client's own bytes with only the top-level members the target changes
// spliced in (the model, stream_options), unless its bytes could be read two ways; then the parsed body is serialised.

let upstreams: FakeUpstreamOfEachFormat;
let gateway: TestGateway;

beforeAll(async () => {
  upstreams = await startFakeUpstreamOfEachFormat();
  gateway = await startTestGateway(`
providers:
  oai: { type: openai, base_url: ${upstreams.openai.url}/v1, api_key: ${E2E_UPSTREAM_KEYS.openai} }
  ant: { type: anthropic, base_url: ${upstreams.anthropic.url}, api_key: ${E2E_UPSTREAM_KEYS.anthropic} }
  gem: { type: gemini, base_url: "${upstreams.gemini.url}", api_key: ${E2E_UPSTREAM_KEYS.gemini} }
models:
  chat: { targets: [{ provider: oai, model: gpt-4o-mini }] }
  claude: { targets: [{ provider: ant, model: claude-haiku-4-5 }] }
  gemini-2.5-flash: { targets: [{ provider: gem, model: gemini-2.5-flash }] }
`);
});
afterAll(async () => {
  await gateway.close();
  for (const upstream of Object.values(upstreams)) await upstream.close();
});

/** Posts raw bytes as JSON and returns what the upstream received, as text. */
async function sent(path: string, body: string | Uint8Array, upstream: FakeUpstream, headers: Record<string, string> = {}): Promise<string> {
  const before = upstream.requests.length;
  const response = await fetch(`${gateway.url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  expect(response.status, await response.clone().text()).toBe(200);
  await response.arrayBuffer();
  expect(upstream.requests.length).toBe(before + 1);
  return upstream.requests[before]?.rawBody ?? '';
}

/** Text that makes a body long enough to be kept (shorter ones are serialised: see `MIN_KEPT_JSON_BYTES`). */
const LONG = 'words '.repeat(Math.ceil(MIN_KEPT_JSON_BYTES / 6));

const ODD_OPENAI = `{ "messages" : [ {"role":"user","content":"Say \\"model\\" é 🦊 ${LONG}"} ],\n  "model"\t:\t"chat", "x_vendor_field": {"keep": [12345678901234567890, 2.50]}, "seed": 7 }`;

describe('same-format request bodies', () => {
  it('reach an OpenAI upstream as the client wrote them, the model replaced', async () => {
    expect(await sent('/v1/chat/completions', ODD_OPENAI, upstreams.openai)).toBe(ODD_OPENAI.replace('"chat"', '"gpt-4o-mini"'));
  });

  it('reach an Anthropic upstream as the client wrote them, the model replaced', async () => {
    const body = `{"model": "claude", "max_tokens": 64,\n "messages": [{"role": "user", "content": "Hello ✓ ${LONG}"}], "metadata": {"user_id": "u-1"}}`;
    const received = await sent('/v1/messages', body, upstreams.anthropic, { 'x-api-key': 'client', 'anthropic-version': '2023-06-01' });
    expect(received).toBe(body.replace('"claude"', '"claude-haiku-4-5"'));
  });

  it('reach a Gemini upstream exactly as the client wrote them: the model is in the path', async () => {
    const body = `{ "contents": [ { "role": "user", "parts": [ { "text": "Hi ✓ ${LONG}" } ] } ] }`;
    expect(await sent('/v1beta/models/gemini-2.5-flash:generateContent', body, upstreams.gemini)).toBe(body);
  });

  it('are serialised again when a key appears twice in an object, so the upstream cannot read the other value', async () => {
    const twice = `{"model":"chat","messages":[{"role":"user","content":"${LONG}"}],"model":"chat"}`;
    const received = await sent('/v1/chat/completions', twice, upstreams.openai);
    expect(received).toBe(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"${LONG}"}]}`);
    const nested = `{"model":"chat","messages":[{"role":"user","content":"ignored","content":"${LONG}"}]}`;
    expect(await sent('/v1/chat/completions', nested, upstreams.openai)).toBe(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"${LONG}"}]}`);
  });

  it('are serialised again when they are not valid UTF-8, as the gateway read them', async () => {
    const prefix = Buffer.from(`{ "model" : "chat", "messages" : [ {"role":"user","content":"${LONG}bad `);
    const body = Buffer.concat([prefix, Buffer.from([0xff, 0xfe]), Buffer.from('"} ] }')]);
    const received = await sent('/v1/chat/completions', body, upstreams.openai);
    expect(received).toBe(`{"model":"gpt-4o-mini","messages":[{"role":"user","content":"${LONG}bad \ufffd\ufffd"}]}`);
  });

  it('get what else the target changes spliced in too: stream usage asked for', async () => {
    const body = `{ "model": "chat", "stream": true, "messages": [{"role":"user","content":"${LONG}"}] }`;
    const received = await sent('/v1/chat/completions', body, upstreams.openai);
    expect(received).toBe(`{ "model": "gpt-4o-mini", "stream": true, "messages": [{"role":"user","content":"${LONG}"}] ,"stream_options":{"include_usage":true}}`);
  });

  it('are serialised again when shorter than the bytes worth keeping', async () => {
    const body = '{ "model": "chat", "messages": [{"role":"user","content":"hi"}] }';
    expect(await sent('/v1/chat/completions', body, upstreams.openai)).toBe('{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}');
  });
});
