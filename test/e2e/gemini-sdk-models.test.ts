import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let gateway: TestGateway;
let ai: GoogleGenAI;

beforeAll(async () => {
  gateway = await startTestGateway('providers:\n  sim: { type: simulated }\nmodels:\n  flash: { targets: [{ provider: sim, model: echo }] }\n');
  ai = new GoogleGenAI({ apiKey: 'gemini-e2e-client', httpOptions: { baseUrl: gateway.url } });
});
afterAll(async () => {
  await gateway.close();
});

describe('Gemini SDK model list and calls by alias', () => {
  it('lists models in Gemini’s format', async () => {
    const names: string[] = [];
    for await (const model of await ai.models.list()) names.push(model.name ?? '');
    expect(names).toEqual(expect.arrayContaining(['models/flash', 'models/sim/echo']));
  });

  it('generates through an alias', async () => {
    const result = await ai.models.generateContent({ model: 'flash', contents: 'hello gemini' });
    expect(result.text).toBe('hello gemini');
  });
});
