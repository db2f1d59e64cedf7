import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  // input_limits.model_name_length would answer such a name with a 400 first; raised here so the echo bounds behind it
  // (for an operator who lifts the limit) are what is tested.
  gateway = await startTestGateway('input_limits: { model_name_length: 2000000 }');
});
afterAll(async () => {
  await gateway.close();
});

const MB = 1024 * 1024;

function chat(model: string): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
}

describe('a 1 MB model name', () => {
  it('is not echoed whole into x-switchyard-model or the log line', async () => {
    gateway.logLines.length = 0;
    const reply = await chat(`simulated/${'m'.repeat(MB)}`);
    await reply.text();
    expect(reply.headers.get('x-switchyard-model')?.length ?? 0).toBeLessThan(400);
    await eventually(() => gateway.logLines.some((line) => line.includes('"msg":"request"')));
    expect(Math.max(...gateway.logLines.map((line) => line.length))).toBeLessThan(4000);
  });

  it('is not echoed whole into the 404 body or the log line', async () => {
    gateway.logLines.length = 0;
    const reply = await chat(`nope-${'m'.repeat(MB)}`);
    expect(reply.status).toBe(404);
    const body = await reply.text();
    expect(body.length).toBeLessThan(2000);
    expect(body).toContain('more characters');
    await eventually(() => gateway.logLines.some((line) => line.includes('"msg":"request"')));
    expect(Math.max(...gateway.logLines.map((line) => line.length))).toBeLessThan(4000);
  });
});
