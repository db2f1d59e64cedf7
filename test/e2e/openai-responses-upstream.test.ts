import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream } from '../fakes/index.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

type Json = Record<string, unknown>;

/** An `openai` provider with `api: responses`: the gateway calls the upstream's /v1/responses and decodes its JSON and events. */
describe('an openai provider with api: responses', () => {
  let fake: FakeUpstream;
  let gateway: TestGateway;
  let openai: OpenAI;
  let anthropic: Anthropic;

  beforeAll(async () => {
    fake = await startFakeUpstream('openai');
    gateway = await startTestGateway(`
defaults: { retry: { attempts: 1 } }
providers:
  oai: { type: openai, base_url: "${fake.url}/v1", api_key: sk-upstream, api: responses }
models:
  smart: { targets: [{ provider: oai, model: gpt-5 }] }
`);
    openai = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client', maxRetries: 0 });
    anthropic = new Anthropic({ baseURL: gateway.url, apiKey: 'client', maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  const lastBody = (): Json => fake.requests.at(-1)?.body as Json;

  it('sends a chat completion to /v1/responses as input items and reads the Response back', async () => {
    fake.enqueue({ kind: 'text', text: 'Bonjour.', reasoning: 'Translate.', usage: { input: 20, output: 3, cacheRead: 5, reasoning: 2 } });
    const reply = await openai.chat.completions.create({
      model: 'smart',
      messages: [
        { role: 'developer', content: 'Translate to French.' },
        { role: 'user', content: 'Hello.' },
      ],
      max_completion_tokens: 100,
      reasoning_effort: 'low',
    });
    expect(fake.requests.at(-1)?.path).toBe('/v1/responses');
    expect(lastBody()).toMatchObject({
      model: 'gpt-5',
      store: false,
      stream: false,
      max_output_tokens: 100,
      reasoning: { effort: 'low' },
      input: [
        { type: 'message', role: 'developer', content: 'Translate to French.' },
        { type: 'message', role: 'user', content: [{ type: 'input_text', text: 'Hello.' }] },
      ],
    });
    expect(reply.choices[0]?.message.content).toBe('Bonjour.');
    expect(reply.usage).toMatchObject({ prompt_tokens: 25, completion_tokens: 5, prompt_tokens_details: { cached_tokens: 5 } });
  });

  it('translates an Anthropic Messages stream with a tool call through the Responses events, then the tool result', async () => {
    fake.enqueue({ kind: 'tool-calls', calls: [{ id: 'call_up_1', name: 'get_weather', arguments: { city: 'Oslo' } }], argumentChunks: 3 });
    const tools: Anthropic.Tool[] = [{ name: 'get_weather', description: 'Weather', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }];
    const message = await anthropic.messages
      .stream({ model: 'smart', max_tokens: 200, system: 'Be brief.', tools, messages: [{ role: 'user', content: 'Weather in Oslo?' }] })
      .finalMessage();
    expect(lastBody()).toMatchObject({ stream: true, tools: [{ type: 'function', name: 'get_weather' }], input: [{ role: 'system' }, { role: 'user' }] });
    expect(message.stop_reason).toBe('tool_use');
    const call = message.content.find((block) => block.type === 'tool_use');
    expect(call).toMatchObject({ id: 'call_up_1', name: 'get_weather', input: { city: 'Oslo' } });

    fake.enqueue({ kind: 'text', text: ['It is ', '4 degrees.'] });
    const answer = await anthropic.messages.create({
      model: 'smart',
      max_tokens: 200,
      tools,
      messages: [
        { role: 'user', content: 'Weather in Oslo?' },
        { role: 'assistant', content: message.content },
        { role: 'user', content: [{ type: 'tool_result', tool_use_id: 'call_up_1', content: '4 degrees' }] },
      ],
    });
    expect(answer.content).toEqual([expect.objectContaining({ type: 'text', text: 'It is 4 degrees.' })]);
    expect((lastBody().input as Json[]).slice(1)).toEqual([
      { type: 'function_call', call_id: 'call_up_1', name: 'get_weather', arguments: '{"city":"Oslo"}' },
      { type: 'function_call_output', call_id: 'call_up_1', output: '4 degrees' },
    ]);
  });

  it('streams text and reasoning to a Responses client, and reports an incomplete answer', async () => {
    fake.enqueue({ kind: 'text', text: ['One, ', 'two'], reasoning: 'Count.', finish: 'length' });
    const stream = openai.responses.stream({ model: 'smart', input: 'Count', max_output_tokens: 3, reasoning: { effort: 'medium' } });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('One, two');
    expect(final.status).toBe('incomplete');
    expect(JSON.stringify(final.output)).toContain('Count.');
  });

  it('maps an upstream error and an in-band error event to the client’s error format', async () => {
    fake.enqueue({ kind: 'error', status: 429 });
    const limited = await openai.chat.completions.create({ model: 'smart', messages: [{ role: 'user', content: 'x' }] }).catch((error: unknown) => error);
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);

    fake.enqueue({ kind: 'error-after-start', chunksBefore: 1, text: 'partial answer here' });
    const broken = anthropic.messages.stream({ model: 'smart', max_tokens: 50, messages: [{ role: 'user', content: 'x' }] });
    await expect(broken.finalMessage()).rejects.toThrow();
  });
});
