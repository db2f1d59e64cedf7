import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let gateway: TestGateway;
let client: Anthropic;

beforeAll(async () => {
  gateway = await startTestGateway(`
providers:
  sim: { type: simulated }
models:
  claude-alias:
    targets: [{ provider: sim, model: echo }]
`);
  client = new Anthropic({ baseURL: gateway.url, apiKey: 'sk-ant-e2e-count-client', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
});

const count = async (model: string, text: string, system?: string): Promise<number> =>
  (await client.messages.countTokens({ model, messages: [{ role: 'user', content: text }], ...(system === undefined ? {} : { system }) })).input_tokens;

describe('POST /v1/messages/count_tokens through the Anthropic SDK', () => {
  it('counts a short prompt as more than zero tokens', async () => {
    expect(await count('claude-alias', 'Hello there')).toBeGreaterThan(0);
  });

  it('counts more tokens for a longer prompt, and for an added system prompt', async () => {
    const short = await count('claude-alias', 'Hello there');
    const long = await count('claude-alias', 'Hello there. '.repeat(50));
    expect(long).toBeGreaterThan(short);
    expect(await count('claude-alias', 'Hello there', 'You are a terse assistant that answers in French.')).toBeGreaterThan(short);
  });

  it('counts a provider/model name and an unknown model name alike', async () => {
    expect(await count('sim/echo', 'Hello there')).toBeGreaterThan(0);
    expect(await count('claude-sonnet-4-5', 'Hello there')).toBeGreaterThan(0);
  });

  it('counts tools in the prompt', async () => {
    const plain = await count('claude-alias', 'weather?');
    const withTools = await client.messages.countTokens({
      model: 'claude-alias',
      messages: [{ role: 'user', content: 'weather?' }],
      tools: [{ name: 'get_weather', description: 'Current weather for a city', input_schema: { type: 'object', properties: { city: { type: 'string' } } } }],
    });
    expect(withTools.input_tokens).toBeGreaterThan(plain);
  });

  it('rejects a body without messages with a 400 in Anthropic’s error format naming the field', async () => {
    const error = await client.messages
      .countTokens({ model: 'claude-alias' } as unknown as Anthropic.MessageCountTokensParams)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.BadRequestError);
    const apiError = error as InstanceType<typeof Anthropic.BadRequestError>;
    expect(apiError.status).toBe(400);
    expect(apiError.error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error', message: expect.stringContaining('messages') as unknown } });
  });

  it('rejects a malformed message with a 400 naming its path', async () => {
    const response = await fetch(`${gateway.url}/v1/messages/count_tokens`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'anthropic-version': '2023-06-01' },
      body: JSON.stringify({ model: 'claude-alias', messages: [{ role: 'user', content: [{ type: 'text' }] }] }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error.type).toBe('invalid_request_error');
    expect(body.error.message).toContain('messages[0].content[0]');
  });

  it('lists models in Anthropic’s page format for the Anthropic SDK', async () => {
    const ids: string[] = [];
    for await (const model of client.models.list()) ids.push(model.id);
    expect(ids).toEqual(expect.arrayContaining(['claude-alias', 'sim/echo']));
  });
});
