import { createServer } from 'node:http';
import { Pool } from 'undici';
import { serveChildControl } from './child-control.js';

// The physical limit for a Node proxy: node:http in, undici out, bodies piped, nothing parsed or rewritten.

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: bare-proxy <upstream origin>');
const pool = new Pool(upstream, { connections: 4096, pipelining: 1, keepAliveTimeout: 120_000 });
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'host', 'content-length']);

const server = createServer((req, res) => {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (typeof value === 'string' && !HOP_BY_HOP.has(name)) headers[name] = value;
  }
  pool
    .request({ path: req.url ?? '/', method: req.method === 'GET' ? 'GET' : 'POST', headers, body: req })
    .then((upstreamRes) => {
      const out: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(upstreamRes.headers)) {
        if (value !== undefined && !HOP_BY_HOP.has(name)) out[name] = value;
      }
      res.writeHead(upstreamRes.statusCode, out);
      upstreamRes.body.pipe(res);
    })
    .catch(() => {
      res.writeHead(502).end();
    });
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 0;
server.requestTimeout = 0;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  serveChildControl(port, async () => {
    server.close();
    await pool.close();
  });
});
