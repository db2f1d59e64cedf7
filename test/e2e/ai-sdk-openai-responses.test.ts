import { createOpenAI } from '@ai-sdk/openai';
import { generateText, jsonSchema, streamText, tool } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let gateway: TestGateway;
let openai: ReturnType<typeof createOpenAI>;

beforeAll(async () => {
  gateway = await startTestGateway('providers:\n  sim: { type: simulated }\nmodels:\n  gpt-5: { targets: [{ provider: sim, model: echo }] }\n');
  openai = createOpenAI({ baseURL: `${gateway.url}/v1`, apiKey: 'ai-sdk-client' });
});
afterAll(async () => {
  await gateway.close();
});

// `openai('…')` is the AI SDK's default OpenAI model, and it speaks the Responses API (`POST /v1/responses`).
describe('Vercel AI SDK (@ai-sdk/openai default model) through the Responses API', () => {
  it('generates with a system prompt', async () => {
    const result = await generateText({ model: openai('gpt-5'), system: 'be brief', prompt: 'hello responses', maxRetries: 0 });
    expect(result.text).toBe('hello responses');
    expect(result.finishReason).toBe('stop');
  });

  it('streams to a length finish', async () => {
    const result = streamText({ model: openai('simulated/lorem'), prompt: 'x', maxRetries: 0, maxOutputTokens: 4 });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text.trim().split(' ')).toHaveLength(4);
    expect(await result.finishReason).toBe('length');
  });

  it('accepts tool definitions', async () => {
    const result = await generateText({
      model: openai('gpt-5'),
      prompt: 'weather?',
      tools: { weather: tool({ description: 'Gets the weather', inputSchema: jsonSchema({ type: 'object', properties: { city: { type: 'string' } } }) }) },
      maxRetries: 0,
    });
    expect(result.text).toBe('weather?');
  });
});
