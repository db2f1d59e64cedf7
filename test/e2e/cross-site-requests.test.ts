import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let plain: TestGateway;
let withCors: TestGateway;

beforeAll(async () => {
  plain = await startTestGateway('logging: { level: warn }\n');
  withCors = await startTestGateway(`
server:
  allowed_hosts: [gateway.internal, 127.0.0.1]
  cors: { origins: ["https://app.example"] }
providers:
  simulated: { type: simulated }
`);
});
afterAll(async () => {
  await plain.close();
  await withCors.close();
});

const CHAT = JSON.stringify({ model: 'simulated/echo', messages: [{ role: 'user', content: 'hi' }] });

/** Sends a request with exactly the headers given (Host included), as a browser or a rebinding page would. */
function send(url: string, method: string, headers: Record<string, string>, body?: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

describe('cross-site requests', () => {
  it('refuses a Host that is not a loopback name on a loopback-bound gateway (DNS rebinding), and records it', async () => {
    plain.requestLog.records.length = 0;
    const answer = await send(`${plain.url}/v1/chat/completions`, 'POST', { host: 'rebind.attacker.example:4000', 'content-type': 'application/json' }, CHAT);
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { message: expect.stringContaining('server.allowed_hosts') } });
    await eventually(() => plain.requestLog.records.length === 1);
    expect(plain.requestLog.records[0]).toMatchObject({ status: 403, errorCode: 'permission_denied' });
    const local = await send(`${plain.url}/health`, 'GET', { host: 'localhost:4000' });
    expect(local.status).toBe(200);
  });

  it('refuses a browser request from another origin when no CORS origins are configured, without CORS headers', async () => {
    const answer = await send(`${plain.url}/v1/chat/completions`, 'POST', { host: '127.0.0.1', origin: 'https://evil.example', 'content-type': 'text/plain' }, CHAT);
    expect(answer.status).toBe(403);
    expect(answer.body).toContain('server.cors.origins');
    expect(answer.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('answers preflights and adds CORS headers for configured origins only', async () => {
    const preflight = await send(`${withCors.url}/v1/chat/completions`, 'OPTIONS', {
      host: 'gateway.internal:4000',
      origin: 'https://app.example',
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization, content-type',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('https://app.example');
    expect(preflight.headers['access-control-allow-headers']).toBe('authorization, content-type');
    const call = await send(`${withCors.url}/v1/chat/completions`, 'POST', { host: 'gateway.internal', origin: 'https://app.example', 'content-type': 'application/json' }, CHAT);
    expect(call.status).toBe(200);
    expect(call.headers['access-control-allow-origin']).toBe('https://app.example');
    const other = await send(`${withCors.url}/v1/chat/completions`, 'POST', { host: 'gateway.internal', origin: 'https://other.example', 'content-type': 'application/json' }, CHAT);
    expect(other.status).toBe(403);
    const wrongHost = await send(`${withCors.url}/health`, 'GET', { host: 'localhost' });
    expect(wrongHost.status).toBe(403);
  });

  it('keeps the CORS headers on streamed answers, in every client format', async () => {
    const origin = 'https://app.example';
    const asks = [
      { path: '/v1/chat/completions', body: JSON.stringify({ model: 'simulated/echo', stream: true, messages: [{ role: 'user', content: 'hi' }] }) },
      { path: '/v1/messages', body: JSON.stringify({ model: 'simulated/echo', stream: true, max_tokens: 16, messages: [{ role: 'user', content: 'hi' }] }) },
      { path: '/v1beta/models/simulated/echo:streamGenerateContent?alt=sse', body: JSON.stringify({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }) },
      { path: '/v1/compare', body: JSON.stringify({ models: ['simulated/echo', 'simulated/lorem'], stream: true, max_tokens: 4, messages: [{ role: 'user', content: 'hi' }] }) },
    ];
    for (const ask of asks) {
      const call = await send(`${withCors.url}${ask.path}`, 'POST', { host: 'gateway.internal', origin, 'content-type': 'application/json' }, ask.body);
      expect(call.status, ask.path).toBe(200);
      expect(call.headers['content-type'], ask.path).toContain('text/event-stream');
      expect(call.headers['access-control-allow-origin'], ask.path).toBe(origin);
      expect(call.headers.vary, ask.path).toBe('origin');
    }
  });
});
