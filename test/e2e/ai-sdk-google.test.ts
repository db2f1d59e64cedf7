import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let gateway: TestGateway;
let google: ReturnType<typeof createGoogleGenerativeAI>;

beforeAll(async () => {
  gateway = await startTestGateway('providers:\n  sim: { type: simulated }\nmodels:\n  flash: { targets: [{ provider: sim, model: echo }] }\n');
  google = createGoogleGenerativeAI({ baseURL: `${gateway.url}/v1beta`, apiKey: 'ai-sdk-client' });
});
afterAll(async () => {
  await gateway.close();
});

describe('Vercel AI SDK (@ai-sdk/google) through the Gemini endpoints', () => {
  // The AI SDK sends a model id with a slash as the path itself (`/v1beta/sim/echo:generateContent`), without `models/`.
  it('generates with a provider/model name', async () => {
    const result = await generateText({ model: google('sim/echo'), prompt: 'hello ai sdk', maxRetries: 0 });
    expect(result.text).toBe('hello ai sdk');
  });

  it('streams with a provider/model name', async () => {
    const result = streamText({ model: google('simulated/lorem'), prompt: 'x', maxRetries: 0, maxOutputTokens: 4 });
    let text = '';
    for await (const delta of result.textStream) text += delta;
    expect(text.trim().split(' ')).toHaveLength(4);
    expect(await result.finishReason).toBe('length');
  });

  it('generates with an alias and with the models/ prefix', async () => {
    expect((await generateText({ model: google('flash'), prompt: 'alias', maxRetries: 0 })).text).toBe('alias');
    expect((await generateText({ model: google('models/sim/echo'), prompt: 'prefixed', maxRetries: 0 })).text).toBe('prefixed');
  });
});
