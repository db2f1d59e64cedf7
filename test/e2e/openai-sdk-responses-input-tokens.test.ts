import OpenAI from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let gateway: TestGateway;
let client: OpenAI;

beforeAll(async () => {
  gateway = await startTestGateway('providers:\n  sim: { type: simulated }\n');
  client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'client-key', maxRetries: 0 });
});
afterAll(async () => {
  await gateway.close();
});

describe('POST /v1/responses/input_tokens through the openai SDK', () => {
  it('counts more tokens for a longer input, in the Responses format', async () => {
    const short = await client.responses.inputTokens.count({ model: 'sim/echo', input: 'hi' });
    const long = await client.responses.inputTokens.count({ model: 'sim/echo', instructions: 'Be terse.', input: 'hi '.repeat(50) });
    expect(short.object).toBe('response.input_tokens');
    expect(short.input_tokens).toBeGreaterThan(0);
    expect(long.input_tokens).toBeGreaterThan(short.input_tokens);
  });

  it('answers a bad body with an OpenAI-format 400', async () => {
    const error = await client.responses.inputTokens.count({ model: 'sim/echo', input: [{ type: 'function_call_output' } as never] }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
  });
});
