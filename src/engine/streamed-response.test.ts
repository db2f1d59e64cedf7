import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import { CancelSource } from '../core/index.js';
import { requestStreamed, type StreamedBody } from './streamed-response.js';

const MB = 1024 * 1024;

let server: Server | undefined;
let pool: Pool | undefined;

afterEach(async () => {
  await pool?.destroy();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
  pool = undefined;
});

/** A server on 127.0.0.1 whose answer `respond` writes; resolves to its origin. */
async function serve(respond: Parameters<typeof createServer>[1]): Promise<string> {
  server = createServer(respond);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Every chunk of a body until it ends, read as they come. */
function readAll(body: StreamedBody): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const drain = (): void => {
      for (let chunk = body.read(); chunk !== null; chunk = body.read()) chunks.push(chunk);
      if (body.outcome === undefined) return;
      body.unwatch();
      if (body.outcome === null) resolve(Buffer.concat(chunks));
      else reject(body.outcome);
    };
    body.watch(drain);
    drain();
  });
}

describe('requestStreamed', () => {
  it('stops the upstream sending while its body goes unread, and delivers all of it in order once read', async () => {
    const total = 32 * MB;
    let written = 0;
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const write = (): void => {
        while (written < total) {
          const chunk = Buffer.alloc(64 * 1024, written / (64 * 1024));
          written += chunk.length;
          if (!res.write(chunk)) {
            res.once('drain', write);
            return;
          }
        }
        res.end();
      };
      write();
    });
    pool = new Pool(origin);
    const response = await requestStreamed(pool, { origin, path: '/', method: 'GET' }, new CancelSource());
    await new Promise((resolve) => setTimeout(resolve, 300));
    // Unread, the body holds 64 KB before the socket is paused; the rest waits in socket buffers and the server.
    expect(written).toBeLessThan(total / 2);
    const body = await readAll(response.body);
    expect(body.length).toBe(total);
    for (let at = 0; at < total; at += 64 * 1024) expect(body[at]).toBe((at / (64 * 1024)) % 256);
  });

  it('ends the body with the abort reason when the attempt is cancelled mid-body', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.write('data: first\n\n');
    });
    pool = new Pool(origin);
    const signal = new CancelSource();
    const response = await requestStreamed(pool, { origin, path: '/', method: 'GET' }, signal);
    const reason = new Error('watchdog');
    const read = readAll(response.body);
    signal.abort(reason);
    await expect(read).rejects.toBe(reason);
  });

  it('reads an error answer whole as text', async () => {
    const origin = await serve((_req, res) => {
      res.writeHead(429, { 'content-type': 'application/json' });
      res.end('\ufeff{"error":{"message":"slow down"}}');
    });
    pool = new Pool(origin);
    const response = await requestStreamed(pool, { origin, path: '/', method: 'GET' }, new CancelSource());
    expect(response.statusCode).toBe(429);
    expect(await response.body.text()).toBe('{"error":{"message":"slow down"}}');
  });

  it('rejects with the abort reason when cancelled before the answer starts', async () => {
    const origin = await serve(() => undefined);
    pool = new Pool(origin);
    const signal = new CancelSource();
    const pending = requestStreamed(pool, { origin, path: '/', method: 'GET' }, signal);
    const reason = new Error('client gone');
    setTimeout(() => signal.abort(reason), 20);
    await expect(pending).rejects.toBe(reason);
  });
});
