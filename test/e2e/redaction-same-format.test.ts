import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstreamOfEachFormat, type FakeUpstreamOfEachFormat, type FakeUpstream } from '../fakes/index.js';
import { E2E_UPSTREAM_KEYS } from '../support/secret-markers.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

// A client whose format the provider speaks has its own body forwarded (every unknown field kept): redaction must
// reach that body too, not only the canonical request built beside it.

const PROMPT = 'mail ada@example.com, card 4111 1111 1111 1111 ok';

let upstreams: FakeUpstreamOfEachFormat;
let gateway: TestGateway;

beforeAll(async () => {
  upstreams = await startFakeUpstreamOfEachFormat();
  gateway = await startTestGateway(`
providers:
  oai: { type: openai-compatible, base_url: ${upstreams.openai.url}/v1, api_key: ${E2E_UPSTREAM_KEYS.openai}, redact: [email, card_number] }
  ant: { type: anthropic, base_url: ${upstreams.anthropic.url}, api_key: ${E2E_UPSTREAM_KEYS.anthropic}, redact: [email, card_number] }
  gem: { type: gemini, base_url: "${upstreams.gemini.url}", api_key: ${E2E_UPSTREAM_KEYS.gemini}, redact: [email, card_number] }
models:
  gemini-2.5-flash: { targets: [{ provider: gem, model: gemini-2.5-flash }] }
`);
});
afterAll(async () => {
  await gateway.close();
  for (const upstream of Object.values(upstreams)) await upstream.close();
});

/** The raw body of the last request a fake upstream received. */
function lastBody(upstream: FakeUpstream): string {
  return upstream.requests.at(-1)?.rawBody ?? '';
}

describe('prompt redaction when the provider speaks the client format', () => {
  it('redacts an OpenAI client body forwarded to an OpenAI-compatible provider, unknown fields kept', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
    const { response } = await client.chat.completions
      .create({ model: 'oai/gpt-4o-mini', messages: [{ role: 'user', content: PROMPT }], stream: false })
      .withResponse();
    expect(response.headers.get('x-switchyard-warnings')).toBe('prompt_redacted');
    const sent = lastBody(upstreams.openai);
    expect(sent).toContain('mail [REDACTED], card [REDACTED] ok');
    expect(sent).not.toContain('ada@example.com');
    expect(sent).not.toContain('4111');
  });

  it('redacts an OpenAI stream forwarded to an OpenAI-compatible provider', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
    const stream = await client.chat.completions.create({ model: 'oai/gpt-4o-mini', messages: [{ role: 'system', content: PROMPT }, { role: 'user', content: 'hi' }], stream: true });
    for await (const _chunk of stream) void _chunk;
    const sent = lastBody(upstreams.openai);
    expect(sent).not.toContain('ada@example.com');
    expect(sent).toContain('[REDACTED]');
  });

  it('redacts an Anthropic client body forwarded to an Anthropic provider, the system prompt too', async () => {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: 'client-key', maxRetries: 0 });
    const { response } = await client.messages
      .create(
        { model: 'ant/claude-haiku-4-5', max_tokens: 64, system: PROMPT, messages: [{ role: 'user', content: [{ type: 'text', text: PROMPT }] }] },
        { headers: { 'anthropic-beta': 'context-1m-2025-08-07' } },
      )
      .withResponse();
    // The rebuilt body goes without the client's beta header, and the answer says so beside the redaction.
    expect(response.headers.get('x-switchyard-warnings')).toBe('prompt_redacted; parameter_dropped(anthropic-beta)');
    const sent = lastBody(upstreams.anthropic);
    expect(sent).not.toContain('ada@example.com');
    expect(sent).not.toContain('4111');
    expect(sent).toContain('mail [REDACTED], card [REDACTED] ok');
  });

  it('redacts a Gemini client body forwarded to a Gemini provider, the system instruction too', async () => {
    const ai = new GoogleGenAI({ apiKey: 'client-key', httpOptions: { baseUrl: gateway.url } });
    await ai.models.generateContent({ model: 'gemini-2.5-flash', contents: PROMPT, config: { systemInstruction: PROMPT } });
    const sent = lastBody(upstreams.gemini);
    expect(sent).not.toContain('ada@example.com');
    expect(sent).not.toContain('4111');
    expect(sent).toContain('mail [REDACTED], card [REDACTED] ok');
  });
});

describe('redaction of embeddings input', () => {
  it('redacts what an embeddings request sends to a provider with redact patterns, and says so', async () => {
    upstreams.openai.enqueue({
      kind: 'custom',
      handle: (_req, res) => {
        const data = [0, 1].map((index) => ({ object: 'embedding', index, embedding: [0.1, 0.2] }));
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ object: 'list', data, model: 'text-embedding-3-small', usage: { prompt_tokens: 9, total_tokens: 9 } }));
      },
    });
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
    const { response } = await client.embeddings.create({ model: 'oai/text-embedding-3-small', input: [PROMPT, 'nothing here'] }).withResponse();
    expect(response.headers.get('x-switchyard-warnings')).toBe('prompt_redacted');
    const sent = lastBody(upstreams.openai);
    expect(sent).toContain('mail [REDACTED], card [REDACTED] ok');
    expect(sent).not.toContain('ada@example.com');
  });
});
