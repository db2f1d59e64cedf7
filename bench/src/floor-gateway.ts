import { createParser } from 'eventsource-parser';
import { createServer, type ServerResponse } from 'node:http';
import { StringDecoder } from 'node:string_decoder';
import Fastify from 'fastify';
import { Pool, type Dispatcher } from 'undici';
import { serveChildControl } from './child-control.js';

// The floor of a translating gateway, for the `floors` scenario: what every gateway that reads the request must do
// and nothing more — parse the client's JSON, set the model, serialise it for the upstream, parse the upstream's
// JSON and serialise it back. `node` does it on node:http, `fastify` inside a Fastify route (Switchyard's framework).
// `node` also relays streams: each upstream SSE event parsed, its JSON renamed and serialised, one write per event.

const [upstream, framework] = process.argv.slice(2);
if (!upstream || (framework !== 'node' && framework !== 'fastify')) throw new Error('usage: floor-gateway <upstream origin> node|fastify');
const pool = new Pool(upstream, { connections: 4096, pipelining: 1, keepAliveTimeout: 120_000 });
const JSON_TYPE = 'application/json; charset=utf-8';

async function forward(body: unknown): Promise<string> {
  const request = { ...(body as Record<string, unknown>), model: 'bench-model' };
  const response = await pool.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request),
  });
  return JSON.stringify(JSON.parse(await response.body.text()));
}

/** One SSE event as a gateway that reads it relays it: its JSON parsed, the model renamed, serialised again. */
function relayedEvent(data: string): string {
  return data === '[DONE]' ? 'data: [DONE]\n\n' : `data: ${JSON.stringify({ ...(JSON.parse(data) as Record<string, unknown>), model: 'floor' })}\n\n`;
}

/**
 * Relays a streamed answer through undici's dispatch handler, the upstream paused while the client's buffer is full.
 * The body keeps the client's model: the fake upstream reads the stream's shape from it.
 */
function relayStream(body: Record<string, unknown>, res: ServerResponse): void {
  const text = new StringDecoder('utf8');
  const parser = createParser({ onEvent: (message) => res.write(relayedEvent(message.data)) });
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const handler: Dispatcher.DispatchHandler = {
    // Its presence is what tells undici this handler speaks the controller API.
    onRequestStart() {},
    onResponseData(controller, chunk) {
      parser.feed(text.write(chunk));
      if (!res.writableNeedDrain) return;
      controller.pause();
      res.once('drain', () => controller.resume());
    },
    onResponseEnd() {
      res.end();
    },
    onResponseError() {
      res.destroy();
    },
  };
  pool.dispatch({ origin: upstream, path: '/v1/chat/completions', method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }, handler);
}

async function listen(): Promise<{ port: number; close: () => Promise<void> }> {
  if (framework === 'fastify') {
    const app = Fastify({ logger: false });
    app.post('/v1/chat/completions', async (request, reply) => reply.type(JSON_TYPE).send(await forward(request.body)));
    await app.listen({ host: '127.0.0.1', port: 0 });
    const address = app.server.address();
    return { port: typeof address === 'object' && address !== null ? address.port : 0, close: () => app.close() };
  }
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>;
      if (body.stream === true) {
        relayStream(body, res);
        return;
      }
      forward(body)
        .then((text) => res.writeHead(200, { 'content-type': JSON_TYPE, 'content-length': Buffer.byteLength(text) }).end(text))
        .catch(() => res.writeHead(502).end());
    });
  });
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return {
    port: typeof address === 'object' && address !== null ? address.port : 0,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

const { port, close } = await listen();
serveChildControl(port, async () => {
  await close();
  await pool.close();
});
