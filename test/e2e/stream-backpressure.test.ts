import { connect, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream, type FloodScript } from '../fakes/index.js';
import { eventually, startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const MB = 1024 * 1024;

let upstream: FakeUpstream;
let gateway: TestGateway;

beforeAll(async () => {
  upstream = await startFakeUpstream('openai');
  gateway = await startTestGateway(`
server:
  client_stall_ms: 5000
defaults:
  retry: { attempts: 1 }
  timeouts: { first_token_ms: 2000, stall_ms: 500 }
providers:
  oai:
    type: openai
    base_url: ${upstream.url}/v1
    api_key: sk-upstream-backpressure-0001
`);
});
afterAll(async () => {
  await gateway.close();
  await upstream.close();
});

/** Sends a streaming request over a raw socket and never reads the answer. */
function openNonReadingClient(url: string): Socket {
  const { hostname, port } = new URL(url);
  const body = JSON.stringify({ model: 'oai/gpt-4o-mini', stream: true, messages: [{ role: 'user', content: 'flood me' }] });
  const socket = connect({ host: hostname, port: Number(port) });
  socket.pause();
  socket.write(
    `POST /v1/chat/completions HTTP/1.1\r\nhost: ${hostname}:${port}\r\ncontent-type: application/json\r\n` +
      `content-length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  return socket;
}

describe('a streaming client that stops reading', () => {
  it('throttles the upstream instead of buffering, then aborts it past client_stall_ms and records why', async () => {
    const flood: FloodScript = { kind: 'flood', stats: { bytesWritten: 0, closed: false } };
    upstream.enqueue(flood);
    global.gc?.();
    const rssBefore = process.memoryUsage().rss;
    const socket = openNonReadingClient(gateway.url);
    try {
      await upstream.waitForRequests(1);
      await sleep(3000);
      const written = flood.stats.bytesWritten;
      const rssGrowth = process.memoryUsage().rss - rssBefore;
      // Socket buffers on loopback hold ~10 MB in all; without backpressure the gateway read ~100 MB here and kept going
      // (RSS +225 MB), with it the upstream is held at ~9 MB written and RSS grows ~30 MB.
      expect(written).toBeLessThan(32 * MB);
      expect(rssGrowth).toBeLessThan(100 * MB);
      await eventually(() => flood.stats.closed, 8000);
      await eventually(() => gateway.requestLog.records.length === 1);
      const record = gateway.requestLog.records[0]!;
      expect(record.errorCode).toBe('client_closed');
      expect(record.errorMessage).toMatch(/stopped reading .*5000 ms/);
      expect(record.attempts).toHaveLength(1);
      expect(record.attempts[0]).toMatchObject({ provider: 'oai' });
    } finally {
      socket.destroy();
    }
  }, 30_000);
});
