import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { JSON_ENDPOINTS, nestedSchemaJson, withRawField, type JsonEndpoint } from './endpoint-formats.js';

const CONFIG = `
input_limits: { string_length: 100000, messages: 50, tools: 8, parts_per_message: 20 }
server: { body_limit_bytes: 4000000 }
providers:
  sim: { type: simulated }
models:
  main:
    targets: [{ provider: sim, model: echo }]
`;

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(CONFIG);
});
afterAll(async () => {
  await gateway.close();
});

async function send(endpoint: JsonEndpoint, body: string, contentType = 'application/json'): Promise<{ status: number; message: string | undefined }> {
  const response = await fetch(`${gateway.url}${endpoint.path}`, { method: 'POST', headers: { 'content-type': contentType }, body });
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = text;
  }
  return { status: response.status, message: endpoint.errorMessage(parsed) };
}

const openAI = JSON_ENDPOINTS[0] as JsonEndpoint;
const anthropic = JSON_ENDPOINTS[1] as JsonEndpoint;
const gemini = JSON_ENDPOINTS[3] as JsonEndpoint;

describe('JSON endpoints require application/json', () => {
  it.each(JSON_ENDPOINTS.map((endpoint) => [endpoint.name, endpoint] as const))('%s answers 415 in its own format to text/plain and forms', async (_name, endpoint) => {
    const body = JSON.stringify(endpoint.body('main'));
    for (const contentType of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x']) {
      const answer = await send(endpoint, body, contentType);
      expect(answer.status).toBe(415);
      expect(answer.message).toContain('application/json');
    }
    expect((await send(endpoint, body, 'application/json; charset=utf-8')).status).toBe(200);
  });
});

describe('input bounds answer a 4xx in the client format naming the limit', () => {
  it.each(JSON_ENDPOINTS.map((endpoint) => [endpoint.name, endpoint] as const))('%s: 50k-deep JSON in an unknown field is a 400 naming json_depth', async (_name, endpoint) => {
    const body = withRawField(endpoint.body('main'), ['extra'], nestedSchemaJson(50_000));
    const answer = await send(endpoint, body);
    expect(answer.status).toBe(400);
    expect(answer.message).toContain('input_limits.json_depth');
  });

  it('a 50k-deep tool schema or response_format schema is a 400, not a 500', async () => {
    const deep = nestedSchemaJson(50_000);
    const tools = `[{"type":"function","function":{"name":"deep","parameters":${deep}}}]`;
    const withTools = await send(openAI, withRawField(openAI.body('main'), ['tools'], tools));
    expect(withTools.status).toBe(400);
    const responseFormat = `{"type":"json_schema","json_schema":{"name":"deep","schema":${deep}}}`;
    const withSchema = await send(openAI, withRawField(openAI.body('main'), ['response_format'], responseFormat));
    expect(withSchema.status).toBe(400);
    const generationConfig = `{"responseMimeType":"application/json","responseSchema":${deep}}`;
    const gem = await send(gemini, withRawField(gemini.body('main'), ['generationConfig'], generationConfig));
    expect(gem.status).toBe(400);
    expect(gem.message).toContain('input_limits.json_depth');
  });

  it('a string over string_length is a 413', async () => {
    const answer = await send(anthropic, JSON.stringify({ ...anthropic.body('main'), messages: [{ role: 'user', content: 'x'.repeat(100_001) }] }));
    expect(answer.status).toBe(413);
    expect(answer.message).toContain('input_limits.string_length');
  });

  it('a model name over model_name_length is a 400 in every format', async () => {
    const long = `sim/${'m'.repeat(300)}`;
    for (const endpoint of [openAI, anthropic, JSON_ENDPOINTS[4] as JsonEndpoint]) {
      const answer = await send(endpoint, JSON.stringify(endpoint.body(long)));
      expect(answer.status, endpoint.name).toBe(400);
      expect(answer.message).toContain('input_limits.model_name_length');
    }
    const response = await fetch(`${gateway.url}/v1beta/models/${'m'.repeat(300)}:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(gemini.body('')),
    });
    expect(response.status).toBe(400);
    expect(gemini.errorMessage(await response.json())).toContain('input_limits.model_name_length');
  });

  it('message, tool and part counts over their limits are 413s naming the limit', async () => {
    const messages = Array.from({ length: 51 }, () => ({ role: 'user', content: 'hi' }));
    expect(await send(openAI, JSON.stringify({ model: 'main', messages }))).toMatchObject({ status: 413, message: expect.stringContaining('input_limits.messages') });
    const tools = Array.from({ length: 9 }, (_, index) => ({ name: `t${index}`, input_schema: { type: 'object' } }));
    expect(await send(anthropic, JSON.stringify({ ...anthropic.body('main'), tools }))).toMatchObject({ status: 413, message: expect.stringContaining('input_limits.tools') });
    const parts = Array.from({ length: 21 }, () => ({ text: 'hi' }));
    expect(await send(gemini, JSON.stringify({ contents: [{ role: 'user', parts }] }))).toMatchObject({
      status: 413,
      message: expect.stringContaining('input_limits.parts_per_message'),
    });
  });
});
