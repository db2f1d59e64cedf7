import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CancelSource, GatewayError } from '../core/index.js';
import { decodeBody, requestWhole } from './whole-response.js';

let server: Server;
let pool: Pool;

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/chunks') {
      res.writeHead(200, { 'content-type': 'application/json', 'x-extra': 'yes' });
      // A multi-byte character split across two writes must come back whole.
      const bytes = Buffer.from('{"text":"é€😀"}');
      res.write(bytes.subarray(0, 11));
      setTimeout(() => res.end(bytes.subarray(11)), 5);
      return;
    }
    if (req.url === '/bom') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"ok":true}')]));
      return;
    }
    if (req.url === '/error') {
      res.writeHead(429, { 'retry-after': '3' });
      res.end('{"error":{"message":"slow down"}}');
      return;
    }
    if (req.url === '/empty') {
      res.writeHead(204);
      res.end();
      return;
    }
    if (req.url === '/hang') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write('{"partial":');
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  pool = new Pool(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
});
afterAll(async () => {
  await pool.close();
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const post = (path: string) => ({ path, method: 'POST' as const, headers: { 'content-type': 'application/json' }, body: '{}' });

describe('requestWhole', () => {
  it('reads an answer written in several chunks, multi-byte characters split across them, with its status and headers', async () => {
    let responded = 0;
    const whole = await requestWhole(pool, post('/chunks'), new CancelSource(), () => (responded += 1));
    expect(whole.statusCode).toBe(200);
    expect(whole.headers['x-extra']).toBe('yes');
    expect(JSON.parse(whole.text)).toEqual({ text: 'é€😀' });
    expect(responded).toBe(1);
  });

  it('drops a leading byte-order mark, as undici body.text() does', async () => {
    const whole = await requestWhole(pool, post('/bom'), new CancelSource());
    expect(whole.text).toBe('{"ok":true}');
  });

  it('returns an error status with its body and headers, for the adapter to map', async () => {
    const whole = await requestWhole(pool, post('/error'), new CancelSource());
    expect(whole.statusCode).toBe(429);
    expect(whole.headers['retry-after']).toBe('3');
    expect(whole.text).toContain('slow down');
  });

  it('reads an answer without a body as empty text', async () => {
    const whole = await requestWhole(pool, post('/empty'), new CancelSource());
    expect(whole).toMatchObject({ statusCode: 204, text: '' });
  });

  it('rejects with the abort reason when cancelled mid-body, and when cancelled before it started', async () => {
    const signal = new CancelSource();
    const reason = new GatewayError('client_closed', 'client went away');
    const pending = requestWhole(pool, post('/hang'), signal, () => setTimeout(() => signal.abort(reason), 5));
    await expect(pending).rejects.toBe(reason);
    expect(signal.listenerCount('abort')).toBe(0);
    const early = new CancelSource();
    early.abort(reason);
    await expect(requestWhole(pool, post('/chunks'), early)).rejects.toBe(reason);
  });
});

describe('decodeBody', () => {
  it('joins chunks and replaces invalid UTF-8 as body.text() does', () => {
    expect(decodeBody([])).toBe('');
    expect(decodeBody([Buffer.from('ab'), Buffer.from('c')])).toBe('abc');
    expect(decodeBody([Buffer.from([0x61, 0xff, 0x62])])).toBe('a\uFFFDb');
    expect(decodeBody([Buffer.from([0xef, 0xbb]), Buffer.from([0xbf, 0x7b, 0x7d])])).toBe('{}');
  });
});
