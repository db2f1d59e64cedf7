import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ScriptUsage } from './fake-types.js';
import type { WireFormat } from './wire-format.js';

/** What the fake batch does with one line: answer it, fail it (the provider's 400), or leave it to expire. */
export type FakeLineOutcome = 'succeeded' | 'errored' | 'expired';

/** Options every fake provider batch API shares. */
export interface FakeBatchOptions {
  /** The key requests must present (in the provider's own header); others get the provider's 401. */
  apiKey?: string;
  /** What becomes of each line; every line succeeds by default. */
  outcomeFor?: (customId: string) => FakeLineOutcome;
  /** Polls (retrieve calls) a batch answers as in progress before it ends; 1 by default. */
  pollsToFinish?: number;
  /** Writes every result line twice, as a provider that repeats itself would. */
  repeatResults?: boolean;
  /** Token counts of each answer. */
  usage?: ScriptUsage;
}

/** One call a fake batch API received. */
export interface FakeBatchCall {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A fake provider batch API on 127.0.0.1. */
export interface FakeBatchApi {
  url: string;
  calls: FakeBatchCall[];
  /** The line bodies of every batch created, by the provider's batch id, in the order received. */
  submitted: Map<string, Array<{ customId: string; body: unknown }>>;
  close(): Promise<void>;
}

export const DEFAULT_BATCH_USAGE: ScriptUsage = { input: 12, output: 5 };

/** The fake's deterministic answer to a line: it names the custom_id, so tests see each result reach its line. */
export function answerText(customId: string): string {
  return `answer to ${customId}`;
}

/** The provider's exact non-streaming response body for a line, built by the live-API fake's wire format. */
export function answerBody(wire: WireFormat, requestPath: string, body: unknown, customId: string, seq: number, usage: ScriptUsage): unknown {
  const ctx = { ...wire.readRequest(requestPath, body), stream: false, seq };
  return JSON.parse(wire.textBody({ chunks: [answerText(customId)], usage, finish: 'stop', open: false }, ctx)) as unknown;
}

/** A batch's life in a fake: polls until it ends, and whether it was cancelled. */
export class FakeBatchClock {
  private polls = 0;
  cancelled = false;

  constructor(private readonly pollsToFinish: number) {}

  /** Counts one poll; true once the batch has ended. */
  poll(): boolean {
    this.polls += 1;
    return this.cancelled || this.polls > this.pollsToFinish;
  }

  get ended(): boolean {
    return this.cancelled || this.polls > this.pollsToFinish;
  }
}

type Handler = (call: FakeBatchCall, req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Sends a JSON body. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

/** Starts an HTTP server on a free 127.0.0.1 port that records every call before handing it to `handle`. */
export async function startBatchServer(handle: Handler): Promise<{ url: string; calls: FakeBatchCall[]; close(): Promise<void> }> {
  const calls: FakeBatchCall[] = [];
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const call: FakeBatchCall = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      calls.push(call);
      try {
        await handle(call, req, res);
      } catch (error) {
        if (!res.headersSent) sendJson(res, 500, { error: { message: String(error) } });
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The presented key, in whichever header its provider uses. */
export function presentedKey(headers: IncomingHttpHeaders): string | undefined {
  const bearer = /^Bearer (.+)$/.exec(headers.authorization ?? '')?.[1];
  const header = headers['x-api-key'] ?? headers['x-goog-api-key'];
  return bearer ?? (typeof header === 'string' ? header : undefined);
}
