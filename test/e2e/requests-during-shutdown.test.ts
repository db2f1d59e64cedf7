import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

// The slow model keeps one request running, so the gateway stays in its drain while the others arrive.
const CONFIG = `
providers:
  sim:
    type: simulated
    simulated:
      models:
        slow: { behavior: echo, ttft_ms: 1500 }
models:
  main: { targets: [{ provider: sim, model: echo }] }
  slow: { targets: [{ provider: sim, model: slow }] }
`;

interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** Reads one HTTP/1.1 response with a content-length from a raw socket. */
async function readResponse(socket: Socket): Promise<RawResponse> {
  let text = '';
  for await (const chunk of socket) {
    text += (chunk as Buffer).toString('utf8');
    const end = text.indexOf('\r\n\r\n');
    if (end === -1) continue;
    const [statusLine = '', ...lines] = text.slice(0, end).split('\r\n');
    const headers = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf(':')).toLowerCase(), line.slice(line.indexOf(':') + 1).trim()]));
    const length = Number(headers['content-length'] ?? 0);
    if (Buffer.byteLength(text.slice(end + 4)) < length) continue;
    return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(text.slice(end + 4, end + 4 + length)) };
  }
  throw new Error(`connection closed before a full response: ${JSON.stringify(text)}`);
}

/**
 * A request whose first header line is already on the wire (so the connection is busy, not idle, when shutdown
 * begins) and whose rest is sent on `finish()`.
 */
function startRequest(url: string, path: string, body: unknown, headers: Record<string, string> = {}): { finish(): Promise<RawResponse> } {
  const { hostname, port } = new URL(url);
  const socket = connect({ host: hostname, port: Number(port) });
  socket.on('error', () => undefined);
  const text = JSON.stringify(body);
  socket.write(`POST ${path} HTTP/1.1\r\nhost: ${hostname}\r\n`);
  return {
    async finish() {
      const extra = Object.entries(headers).map(([name, value]) => `${name}: ${value}\r\n`).join('');
      socket.write(`content-type: application/json\r\ncontent-length: ${Buffer.byteLength(text)}\r\n${extra}\r\n${text}`);
      try {
        return await readResponse(socket);
      } finally {
        socket.destroy();
      }
    },
  };
}

let gateway: TestGateway;
const messages = [{ role: 'user', content: 'too late' }];

beforeAll(async () => {
  gateway = await startTestGateway(CONFIG);
});
afterAll(async () => {
  await gateway.close();
});

describe('requests that arrive while the gateway shuts down', () => {
  it('get 503 shutting_down in their own format with retry-after and connection: close, and are recorded', async () => {
    const openai = startRequest(gateway.url, '/v1/chat/completions', { model: 'main', messages }, { 'x-request-id': 'late-openai' });
    const anthropic = startRequest(gateway.url, '/v1/messages', { model: 'main', max_tokens: 10, messages }, { 'anthropic-version': '2023-06-01' });
    const gemini = startRequest(gateway.url, '/v1beta/models/main:generateContent', { contents: [{ role: 'user', parts: [{ text: 'too late' }] }] });
    await sleep(100);
    const running = fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'slow', messages }),
    });
    await sleep(200);
    const closed = gateway.close();
    await sleep(100);
    const [fromOpenAI, fromAnthropic, fromGemini] = await Promise.all([openai.finish(), anthropic.finish(), gemini.finish()]);

    for (const response of [fromOpenAI, fromAnthropic, fromGemini]) {
      expect(response.status).toBe(503);
      expect(Number(response.headers['retry-after'])).toBeGreaterThan(0);
      expect(response.headers.connection).toBe('close');
    }
    const message = 'Gateway shutting down: not accepting new requests; retry on another instance';
    expect(fromOpenAI.body).toEqual({ error: { message: expect.stringContaining(message), type: 'server_error', code: 'shutting_down', param: null } });
    expect(fromAnthropic.body).toEqual({ type: 'error', error: { type: 'overloaded_error', message: expect.stringContaining(message) } });
    expect(fromGemini.body).toMatchObject({ error: { code: 503, status: 'UNAVAILABLE', message: expect.stringContaining(message) } });

    // The request already running finishes normally.
    expect((await running).status).toBe(200);
    await closed;
    await eventually(() => gateway.requestLog.records.filter((r) => r.errorCode === 'shutting_down').length === 3);
    const refused = gateway.requestLog.records.filter((r) => r.errorCode === 'shutting_down');
    expect(refused.map((r) => r.clientFormat).sort()).toEqual(['anthropic-messages', 'gemini', 'openai-chat']);
    expect(refused.every((r) => r.status === 503)).toBe(true);
    expect(refused.find((r) => r.clientFormat === 'openai-chat')?.metadata).toEqual({ client_request_id: 'late-openai' });
  }, 20_000);
});
