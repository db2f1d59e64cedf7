import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { anthropicWire } from './anthropic-wire.js';
import type { FakeFormat, FakeUpstream, FakeUpstreamOptions, RecordedRequest, Script } from './fake-types.js';
import { geminiWire } from './gemini-wire.js';
import { openAiResponsesWire } from './openai-responses-wire.js';
import { openAiWire } from './openai-wire.js';
import { DEFAULT_TEXT, runScript } from './run-script.js';
import type { WireFormat } from './wire-format.js';

const WIRES: Record<FakeFormat, WireFormat> = { openai: openAiWire, anthropic: anthropicWire, gemini: geminiWire };
const DEFAULT_WAIT_MS = 5_000;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** The API key a request presents, in whichever header its provider uses. */
function presentedKey(req: IncomingMessage): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const header = req.headers['x-api-key'] ?? req.headers['x-goog-api-key'];
  return bearer ?? (typeof header === 'string' ? header : undefined);
}

/** Starts a fake `format` provider on 127.0.0.1 at a free port, answering each request with the next script. */
export async function startFakeUpstream(format: FakeFormat, options: FakeUpstreamOptions = {}): Promise<FakeUpstream> {
  const wire = WIRES[format];
  const queue: Script[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const watchers = new Set<() => void>();
  let defaultScript: Script = options.defaultScript ?? { kind: 'text', text: DEFAULT_TEXT };
  let closing = false;

  const notify = (): void => {
    for (const watcher of [...watchers]) watcher();
  };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const controller = new AbortController();
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      headers: req.headers,
      body: undefined,
      rawBody: '',
      closedEarly: false,
    };
    let selfDestroyed = false;
    res.on('close', () => {
      controller.abort();
      if (res.writableFinished || selfDestroyed || closing) return;
      record.closedEarly = true;
      notify();
    });
    record.rawBody = await readBody(req);
    record.body = parseJson(record.rawBody);
    const body = record.body;
    requests.push(record);
    notify();
    const script = options.acceptKey && !options.acceptKey(presentedKey(req)) ? { kind: 'error' as const, status: 401 } : (queue.shift() ?? defaultScript);
    // Like OpenAI, the OpenAI fake also answers the Responses API, in that API's own wire format.
    const served = format === 'openai' && record.path.split('?')[0]?.endsWith('/responses') ? openAiResponsesWire : wire;
    const ctx = { ...served.readRequest(record.path, body), seq: requests.length };
    await runScript(script, {
      req,
      res,
      body,
      wire: served,
      ctx,
      signal: controller.signal,
      markSelfDestroyed: () => {
        selfDestroyed = true;
      },
    });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`fake upstream failed: ${error instanceof Error ? error.message : String(error)}`);
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('fake upstream has no TCP address');

  function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const check = (): void => {
        if (!done()) return;
        stop();
        resolve();
      };
      const timer = setTimeout(() => {
        stop();
        const seen = `${requests.length} requests seen`;
        reject(new Error(`fake ${format} upstream: no ${what} within ${timeoutMs} ms (${seen})`));
      }, timeoutMs);
      const stop = (): void => {
        clearTimeout(timer);
        watchers.delete(check);
      };
      watchers.add(check);
    });
  }

  return {
    url: `http://127.0.0.1:${address.port}`,
    requests,
    enqueue: (...scripts) => {
      queue.push(...scripts);
    },
    setDefault: (script) => {
      defaultScript = script;
    },
    waitForRequests: (n, timeoutMs = DEFAULT_WAIT_MS) =>
      waitUntil(() => requests.length >= n, timeoutMs, `${n} requests`),
    waitForClose: (index, timeoutMs = DEFAULT_WAIT_MS) =>
      waitUntil(() => requests[index]?.closedEarly === true, timeoutMs, `early close of request #${index}`),
    close: () => {
      closing = true;
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

/** A fake upstream per provider format. */
export type FakeUpstreamOfEachFormat = Record<'openai' | 'anthropic' | 'gemini', FakeUpstream>;

/** One fake upstream of each provider format with default options, for a gateway configured with all three. */
export async function startFakeUpstreamOfEachFormat(): Promise<FakeUpstreamOfEachFormat> {
  return { openai: await startFakeUpstream('openai'), anthropic: await startFakeUpstream('anthropic'), gemini: await startFakeUpstream('gemini') };
}
