import { readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

type Json = Record<string, unknown>;

const codexRequest = JSON.parse(readFileSync(new URL('../../src/wire/openai-responses/__fixtures__/codex-request.json', import.meta.url), 'utf8')) as Json;

/** What a Responses upstream answers when the model reasons (encrypted) and then calls Codex's freeform `apply_patch`. */
const REASONING = { id: 'rs_up_1', type: 'reasoning', summary: [], encrypted_content: 'gAAAAA-upstream-issued-blob' };
const PATCH_CALL = { id: 'ctc_up_1', type: 'custom_tool_call', status: 'completed', call_id: 'call_patch_1', name: 'apply_patch', input: '*** Begin Patch\n*** End Patch' };
const USAGE = { input_tokens: 900, input_tokens_details: { cached_tokens: 800 }, output_tokens: 40, output_tokens_details: { reasoning_tokens: 30 }, total_tokens: 940 };

function upstreamResponse(status: string, output: Json[]): Json {
  return { id: 'resp_upstream_1', object: 'response', created_at: 1, status, model: 'gpt-5-2025-08-07', output, usage: status === 'completed' ? USAGE : null, store: false };
}

/** The upstream's stream for that answer, in the Responses API's typed events. */
function writeUpstreamStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const events: Json[] = [
    { type: 'response.created', response: upstreamResponse('in_progress', []) },
    { type: 'response.output_item.added', output_index: 0, item: { ...REASONING, encrypted_content: null } },
    { type: 'response.output_item.done', output_index: 0, item: REASONING },
    { type: 'response.output_item.added', output_index: 1, item: { ...PATCH_CALL, status: 'in_progress', input: '' } },
    { type: 'response.custom_tool_call_input.delta', output_index: 1, item_id: PATCH_CALL.id, delta: PATCH_CALL.input },
    { type: 'response.custom_tool_call_input.done', output_index: 1, item_id: PATCH_CALL.id, input: PATCH_CALL.input },
    { type: 'response.output_item.done', output_index: 1, item: PATCH_CALL },
    { type: 'response.completed', response: upstreamResponse('completed', [REASONING, PATCH_CALL]) },
  ];
  res.end(events.map((event, i) => `event: ${String(event.type)}\ndata: ${JSON.stringify({ ...event, sequence_number: i })}\n\n`).join(''));
}

describe('a Codex request to a Responses API upstream, forwarded as sent', () => {
  let fake: FakeUpstream;
  let gateway: TestGateway;
  let openai: OpenAI;

  beforeAll(async () => {
    fake = await startFakeUpstream('openai');
    gateway = await startTestGateway(`
defaults: { retry: { attempts: 1 } }
providers:
  oai: { type: openai, base_url: "${fake.url}/v1", api_key: sk-upstream, api: responses }
  chat-only: { type: openai, base_url: "${fake.url}/v1", api_key: sk-upstream }
models:
  gpt-5-codex: { targets: [{ provider: oai, model: gpt-5 }] }
  codex-with-fallback:
    targets: [{ provider: oai, model: gpt-5 }, { provider: chat-only, model: gpt-4o }]
    breaker: { failure_threshold: 1000000, min_requests: 1000000 }
`);
    openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'codex-client', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  const lastBody = (): Json => fake.requests.at(-1)?.body as Json;

  it('sends every item and tool upstream, and streams back the freeform tool call and the encrypted reasoning', async () => {
    fake.enqueue({ kind: 'custom', handle: (_req, res) => writeUpstreamStream(res) });
    const { data: stream, response } = await openai.responses.create({ ...(codexRequest as object), stream: true } as OpenAI.Responses.ResponseCreateParamsStreaming).withResponse();
    const events: OpenAI.Responses.ResponseStreamEvent[] = [];
    for await (const event of stream) events.push(event);

    // The client's body, model aside: hosted and custom tools, and encrypted reasoning from an earlier turn.
    expect(fake.requests.at(-1)?.path).toBe('/v1/responses');
    expect(lastBody()).toEqual({ ...codexRequest, model: 'gpt-5' });
    expect(response.headers.get('x-switchyard-warnings')).toBeNull();

    expect(events.map((event) => event.type)).toEqual([
      'response.created',
      'response.output_item.added',
      'response.output_item.done',
      'response.output_item.added',
      'response.custom_tool_call_input.delta',
      'response.custom_tool_call_input.done',
      'response.output_item.done',
      'response.completed',
    ]);
    const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(completed.response).toMatchObject({ id: `resp_${requestId}`, model: 'gpt-5-codex', output: [REASONING, PATCH_CALL] });

    await eventually(() => gateway.requestLog.records.some((record) => record.id === requestId));
    const record = gateway.requestLog.records.find((entry) => entry.id === requestId);
    expect(record).toMatchObject({ status: 200, model: 'gpt-5', usage: { inputTokens: 100, cacheReadTokens: 800, outputTokens: 10, reasoningTokens: 30 }, warnings: [] });
  });

  it('answers a whole response in the upstream’s own shape, named as the gateway names it', async () => {
    fake.enqueue({ kind: 'custom', handle: (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(upstreamResponse('completed', [REASONING, PATCH_CALL]))) });
    const { data, response } = await openai.responses.create({ ...(codexRequest as object), stream: false } as OpenAI.Responses.ResponseCreateParamsNonStreaming).withResponse();
    expect(lastBody()).toMatchObject({ model: 'gpt-5', stream: false, tools: codexRequest.tools });
    expect(data).toMatchObject({ id: `resp_${response.headers.get('x-request-id') ?? ''}`, model: 'gpt-5-codex', output: [REASONING, PATCH_CALL], usage: USAGE });
  });

  it('reports what translating lost when a fallback target that does not speak the Responses API answers', async () => {
    fake.enqueue({ kind: 'error', status: 503 });
    fake.enqueue({ kind: 'text', text: 'Done.' });
    const { data, response } = await openai.responses
      .create({ ...(codexRequest as object), model: 'codex-with-fallback', stream: false } as OpenAI.Responses.ResponseCreateParamsNonStreaming)
      .withResponse();
    expect(data.output_text).toBe('Done.');
    expect(fake.requests.at(-1)?.path).toBe('/v1/chat/completions');
    const warnings = response.headers.get('x-switchyard-warnings') ?? '';
    expect(warnings).toContain('parameter_dropped(tools[1])');
    expect(warnings).toContain('parameter_dropped(input[3].encrypted_content)');
  });

  it('keeps translating a response the gateway stores, so that it can be continued', async () => {
    fake.enqueue({ kind: 'text', text: 'Stored.' });
    const { input, tools: _tools, ...rest } = codexRequest;
    const { data, response } = await openai.responses.create({ ...(rest as object), input, store: true, stream: false } as OpenAI.Responses.ResponseCreateParamsNonStreaming).withResponse();
    expect(data.output_text).toBe('Stored.');
    expect(lastBody()).toMatchObject({ model: 'gpt-5', store: false });
    expect(JSON.stringify(lastBody())).not.toContain('upstream-issued');
    expect(response.headers.get('x-switchyard-warnings')).toContain('parameter_dropped(input[3].encrypted_content)');
  });
});

describe('a Codex request to the simulated provider', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await startTestGateway('providers:\n  sim: { type: simulated }\nmodels:\n  gpt-5-codex: { targets: [{ provider: sim, model: echo }] }\n');
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('is translated, and says what translating it dropped', async () => {
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'codex-client', maxRetries: 0 });
    const { data, response } = await openai.responses.create({ ...(codexRequest as object), stream: false } as OpenAI.Responses.ResponseCreateParamsNonStreaming).withResponse();
    expect(data.status).toBe('completed');
    expect(response.headers.get('x-switchyard-warnings')).toContain('parameter_dropped(tools[3])');
  });
});

describe('a Codex request when the gateway keeps answers’ bodies', () => {
  let fake: FakeUpstream;
  let gateway: TestGateway;
  beforeAll(async () => {
    fake = await startFakeUpstream('openai');
    gateway = await startTestGateway(`
storage: { store_bodies: true }
providers:
  oai: { type: openai, base_url: "${fake.url}/v1", api_key: sk-upstream, api: responses }
models:
  gpt-5-codex: { targets: [{ provider: oai, model: gpt-5 }] }
`);
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  it('is translated both ways: a body sent as is could ask for output a translated answer would lose', async () => {
    fake.enqueue({ kind: 'text', text: 'Translated.' });
    const openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'codex-client', maxRetries: 0 });
    const { data, response } = await openai.responses.create({ ...(codexRequest as object), stream: false } as OpenAI.Responses.ResponseCreateParamsNonStreaming).withResponse();
    expect(data.output_text).toBe('Translated.');
    const sent = JSON.stringify(fake.requests.at(-1)?.body);
    expect(sent).not.toContain('apply_patch');
    expect(sent).not.toContain('opaque-blob');
    expect(response.headers.get('x-switchyard-warnings')).toContain('parameter_dropped(tools[3])');
  });
});
