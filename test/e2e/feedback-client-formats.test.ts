import Anthropic from '@anthropic-ai/sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/start-cli.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(`storage: { url: "sqlite://:memory:" }\nproviders:\n  sim: { type: simulated }\n`, {}, { persist: true });
});
afterAll(async () => {
  await gateway.close();
});

async function post(headers: Record<string, string>, body: string): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${gateway.url}/v1/feedback`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body });
  return { status: response.status, body: await response.json() };
}

describe('POST /v1/feedback answers in the format of the SDK that called it', () => {
  it('Anthropic SDK (anthropic-version): unknown id is a 404 and a bad score a 400 in Anthropic\'s error shape; a good score is stored', async () => {
    const client = new Anthropic({ baseURL: gateway.url, apiKey: 'x', maxRetries: 0 });
    const unknown = await client.post('/v1/feedback', { body: { request_id: 'no-such-request', score: 1 } }).catch((error: unknown) => error);
    expect(unknown).toBeInstanceOf(Anthropic.NotFoundError);
    expect((unknown as InstanceType<typeof Anthropic.NotFoundError>).error).toEqual({
      type: 'error',
      error: { type: 'not_found_error', message: 'No request with id no-such-request on this gateway (use the x-request-id the gateway returned)' },
    });
    const bad = await client.post('/v1/feedback', { body: { request_id: 'x', score: 7 } }).catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(Anthropic.BadRequestError);
    expect((bad as InstanceType<typeof Anthropic.BadRequestError>).error).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });

    const { data, response } = await client.messages.create({ model: 'sim/echo', max_tokens: 8, messages: [{ role: 'user', content: 'hi' }] }).withResponse();
    const requestId = response.headers.get('x-request-id') ?? '';
    expect(data.id).toBe(`msg_${requestId}`);
    expect(await client.post('/v1/feedback', { body: { request_id: requestId, score: true } })).toEqual({ object: 'feedback', request_id: requestId, metric: 'quality', score: 1 });
    // The message id the SDK returned names the same request.
    expect(await client.post('/v1/feedback', { body: { request_id: data.id, metric: 'helpful', score: 0.5 } })).toEqual({
      object: 'feedback',
      request_id: requestId,
      metric: 'helpful',
      score: 0.5,
    });
  });

  it('Gemini clients (x-goog-api-key or x-goog-api-client): errors in Gemini\'s shape, body parse errors included', async () => {
    expect(await post({ 'x-goog-api-key': 'k' }, JSON.stringify({ request_id: 'no-such-request', score: 1 }))).toEqual({
      status: 404,
      body: { error: { code: 404, status: 'NOT_FOUND', message: 'No request with id no-such-request on this gateway (use the x-request-id the gateway returned)' } },
    });
    const malformed = await post({ 'x-goog-api-client': 'google-genai-sdk/1.0.0 gl-node/v20' }, '{"request_id":');
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: { code: 400, status: 'INVALID_ARGUMENT' } });
  });

  it('anything else: OpenAI\'s shape, as before', async () => {
    expect(await post({}, JSON.stringify({ request_id: 'no-such-request', score: 1 }))).toMatchObject({
      status: 404,
      body: { error: { type: 'invalid_request_error', param: 'request_id' } },
    });
  });

  it('switchyard feedback scores a request from the shell and prints the gateway\'s error when it refuses', async () => {
    const served = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'sim/echo', messages: [{ role: 'user', content: 'rate me' }] }),
    });
    const requestId = served.headers.get('x-request-id') ?? '';
    const ok = await runCli(['feedback', requestId, '--score', '0.75', '--metric', 'helpful', '--comment', 'close enough', '--url', gateway.url]);
    expect(ok).toMatchObject({ code: 0, stdout: `feedback stored: ${requestId} helpful=0.75\n` });
    const thumbs = await runCli(['feedback', requestId, '--score', 'true'], { SWITCHYARD_URL: gateway.url });
    expect(thumbs).toMatchObject({ code: 0, stdout: `feedback stored: ${requestId} quality=1\n` });
    const unknown = await runCli(['feedback', 'no-such-request', '--score', '1', '--url', gateway.url]);
    expect(unknown).toMatchObject({ code: 1, stderr: 'error: No request with id no-such-request on this gateway (use the x-request-id the gateway returned)\n' });
    const usage = await runCli(['feedback', requestId]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('usage: switchyard feedback REQUEST_ID --score');
  }, 60_000);
});
