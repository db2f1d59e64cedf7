import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

let gateway: TestGateway;

beforeAll(async () => {
  gateway = await startTestGateway(`
server:
  body_timeout_ms: 300
  request_timeout_ms: 1500
  max_connections: 3
`);
});
afterAll(async () => {
  await gateway.close();
});

/** Opens a raw connection and collects everything the gateway sends back until it closes. */
function rawClient(): { socket: Socket; answer: Promise<string> } {
  const { hostname, port } = new URL(gateway.url);
  const socket = connect({ host: hostname, port: Number(port) });
  let text = '';
  socket.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  socket.on('error', () => undefined);
  const answer = new Promise<string>((resolve) => socket.on('close', () => resolve(text)));
  return { socket, answer };
}

const BODY = JSON.stringify({ model: 'simulated/echo', messages: [{ role: 'user', content: 'slow' }] });
const HEAD = `POST /v1/messages HTTP/1.1\r\nhost: 127.0.0.1\r\ncontent-type: application/json\r\nanthropic-version: 2023-06-01\r\ncontent-length: ${BODY.length}\r\n\r\n`;

describe('slow requests', () => {
  it('answers 408 in the route’s own format when the body goes silent past body_timeout_ms, and records it', async () => {
    gateway.requestLog.records.length = 0;
    const { socket, answer } = rawClient();
    socket.write(HEAD + BODY.slice(0, 10));
    const text = await answer;
    expect(text).toMatch(/^HTTP\/1\.1 408/);
    expect(text).toContain('"type":"invalid_request_error"');
    expect(text).toContain('server.body_timeout_ms');
    await eventually(() => gateway.requestLog.records.length === 1);
    expect(gateway.requestLog.records[0]).toMatchObject({ status: 408, errorCode: 'request_timeout', clientFormat: 'anthropic-messages' });
  });

  it('answers 408 when a body that keeps trickling is not complete within request_timeout_ms', async () => {
    gateway.requestLog.records.length = 0;
    const { socket, answer } = rawClient();
    socket.write(HEAD);
    let sent = 0;
    const drip = setInterval(() => socket.write(BODY.slice(sent, ++sent)), 100);
    try {
      const text = await answer;
      expect(text).toMatch(/^HTTP\/1\.1 408/);
      expect(text).toContain('server.request_timeout_ms');
    } finally {
      clearInterval(drip);
    }
    await eventually(() => gateway.requestLog.records.length === 1);
    expect(gateway.requestLog.records[0]).toMatchObject({ status: 408, errorCode: 'request_timeout' });
  }, 10_000);

  it('closes connections beyond max_connections as they arrive and keeps serving the others', async () => {
    const held = [rawClient(), rawClient(), rawClient()];
    await eventually(() => held.every(({ socket }) => socket.readyState === 'open'));
    await new Promise((resolve) => setTimeout(resolve, 50));
    const extra = rawClient();
    extra.socket.write(HEAD + BODY);
    expect(await extra.answer).toBe('');
    for (const { socket } of held) socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const reply = await fetch(`${gateway.url}/health`);
    expect(reply.status).toBe(200);
  });
});
