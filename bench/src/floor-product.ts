import { randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { Worker } from 'node:worker_threads';
import { Pool } from 'undici';
import { serveChildControl } from './child-control.js';
import type { FloorRecord } from './floor-product-store.js';

// The floor of the product's own duties, for the `floors` and `throughput` scenarios (issue 17: "what a Node process
// cannot avoid"): what the floor on node:http does (parse the client's JSON, set the model, serialise it upstream,
// parse the answer and serialise it back), plus what Switchyard's realistic config must do for every request, each in
// its cheapest form: check a virtual key (constant-time compare), count the prompt's tokens (cached per text), reserve
// and settle an RPM and a TPM window and a daily budget, send the six `x-ratelimit-*` headers and a request id, count
// the request into a latency histogram and a status counter, and put a record of it in SQLite on a thread of its own,
// in batches. Nothing else: no routing table, failover, translation, breakers or strategies.
//
// With `ungoverned` after the origin it skips the key, the token count, the windows, the budget and their headers:
// the pair of the two gives the least that governance can cost a Node gateway (issue 12's `governance` scenario).

const upstream = process.argv[2];
if (!upstream) throw new Error('usage: floor-product <upstream origin> [ungoverned]');
const governed = process.argv[3] !== 'ungoverned';
const pool = new Pool(upstream, { connections: 4096, pipelining: 1, keepAliveTimeout: 120_000 });
const JSON_TYPE = 'application/json; charset=utf-8';
/** USD per token, input and output: a price the budget reserves and settles with. */
const PRICE = { input: 2.5e-6, output: 1e-5 };
const FLUSH_MS = 25;
const BUCKETS_MS = [1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000];

interface Key {
  id: string;
  secret: Buffer;
  presented: Buffer;
  rpm: number;
  tpm: number;
  dailyUsd: number;
  window: number;
  requests: number;
  tokens: number;
  spentUsd: number;
}

const secret = `sk-floor-${randomBytes(24).toString('base64url')}`;
const key: Key = { id: 'floor-key', secret: Buffer.from(secret), presented: Buffer.alloc(secret.length), rpm: 1e8, tpm: 1e11, dailyUsd: 1e6, window: 0, requests: 0, tokens: 0, spentUsd: 0 };
const keys = new Map([[secret, key]]);

/** The key a request presents, compared in constant time once its entry is found. */
function keyOf(req: IncomingMessage): Key | undefined {
  const header = req.headers.authorization;
  if (header === undefined || !header.startsWith('Bearer ')) return undefined;
  const presented = header.slice(7);
  const found = keys.get(presented);
  if (!found || found.presented.write(presented) !== found.secret.length) return undefined;
  return timingSafeEqual(found.presented, found.secret) ? found : undefined;
}

const tokenCounts = new Map<string, number>();
/** Prompt tokens, each text counted once (the product's tokenizer runs only when its cache misses). */
function promptTokens(messages: unknown): number {
  if (!Array.isArray(messages)) return 0;
  let total = 0;
  for (const message of messages as { content?: unknown }[]) {
    const text = typeof message.content === 'string' ? message.content : '';
    let count = tokenCounts.get(text);
    if (count === undefined) {
      count = Math.ceil(text.length / 4) + 4;
      tokenCounts.set(text, count);
    }
    total += count;
  }
  return total;
}

/** Reserves one request and `tokens` in the key's current minute and `usd` of its budget (a run lasts minutes, so the day never turns), or says the key is over a limit. */
function reserve(entry: Key, tokens: number, usd: number, now: number): boolean {
  const minute = Math.floor(now / 60_000);
  if (minute !== entry.window) {
    entry.window = minute;
    entry.requests = 0;
    entry.tokens = 0;
  }
  if (entry.requests + 1 > entry.rpm || entry.tokens + tokens > entry.tpm || entry.spentUsd + usd > entry.dailyUsd) return false;
  entry.requests += 1;
  entry.tokens += tokens;
  entry.spentUsd += usd;
  return true;
}

function rateLimitHeaders(entry: Key): Record<string, string> {
  return {
    'x-ratelimit-limit-requests': String(entry.rpm),
    'x-ratelimit-limit-tokens': String(entry.tpm),
    'x-ratelimit-remaining-requests': String(entry.rpm - entry.requests),
    'x-ratelimit-remaining-tokens': String(entry.tpm - entry.tokens),
    'x-ratelimit-reset-requests': '60s',
    'x-ratelimit-reset-tokens': '60s',
  };
}

// Metrics whose labels come from configuration: one histogram series and status counters per deployment.
const latencyBuckets = new Float64Array(BUCKETS_MS.length + 1);
const statusCounts = new Map<number, number>();
function observe(status: number, latencyMs: number): void {
  let bucket = 0;
  while (bucket < BUCKETS_MS.length && latencyMs > (BUCKETS_MS[bucket] ?? Infinity)) bucket += 1;
  latencyBuckets[bucket] = (latencyBuckets[bucket] ?? 0) + 1;
  statusCounts.set(status, (statusCounts.get(status) ?? 0) + 1);
}

const store = new Worker(new URL('./floor-product-store.js', import.meta.url));
store.unref();
let batch: FloorRecord[] = [];
function record(entry: FloorRecord): void {
  batch.push(entry);
  if (batch.length > 1) return;
  setTimeout(() => {
    store.postMessage(batch);
    batch = [];
  }, FLUSH_MS);
}

let idMs = -1;
let idPrefix = '';
/**
 * A request id in UUID v7's layout: time first, so the record's primary key grows at its end, as the gateway's does
 * (random ids would dirty a different index page per row and double the record thread's work).
 */
function requestId(nowMs: number): string {
  if (nowMs !== idMs) {
    const hex = nowMs.toString(16).padStart(12, '0');
    idMs = nowMs;
    idPrefix = `${hex.slice(0, 8)}-${hex.slice(8)}`;
  }
  return `${idPrefix}-7${randomUUID().slice(15)}`;
}

interface Usage {
  prompt_tokens?: number;
  completion_tokens?: number;
}

async function serve(req: IncomingMessage, res: ServerResponse, text: string, startedAt: number, started: number): Promise<void> {
  const id = requestId(startedAt);
  // Ungoverned, no key is looked for, and nothing is counted, reserved, settled or sent as headers.
  const entry = governed ? keyOf(req) : undefined;
  if (governed && !entry) {
    res.writeHead(401, { 'content-type': JSON_TYPE }).end('{"error":{"message":"invalid key","type":"invalid_request_error"}}');
    return;
  }
  const body = JSON.parse(text) as Record<string, unknown>;
  const requested = typeof body.model === 'string' ? body.model : '';
  let estimate = 0;
  let estimateUsd = 0;
  if (entry) {
    const prompt = promptTokens(body.messages);
    const maxTokens = typeof body.max_tokens === 'number' ? body.max_tokens : 4096;
    estimate = prompt + maxTokens;
    estimateUsd = prompt * PRICE.input + maxTokens * PRICE.output;
    if (!reserve(entry, estimate, estimateUsd, startedAt)) {
      res.writeHead(429, { 'content-type': JSON_TYPE, ...rateLimitHeaders(entry) }).end('{"error":{"message":"rate limited","type":"rate_limit_error"}}');
      return;
    }
  }
  const response = await pool.request({
    path: '/v1/chat/completions',
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer provider-key' },
    body: JSON.stringify({ ...body, model: 'bench-model' }),
  });
  const answer = JSON.parse(await response.body.text()) as Record<string, unknown>;
  const usage = (answer.usage ?? {}) as Usage;
  const input = usage.prompt_tokens ?? 0;
  const output = usage.completion_tokens ?? 0;
  const costUsd = input * PRICE.input + output * PRICE.output;
  const out = JSON.stringify({ ...answer, model: requested });
  const length = Buffer.byteLength(out);
  if (entry) {
    // Settle: the window and the budget keep what was used, not what was estimated.
    entry.tokens += input + output - estimate;
    entry.spentUsd += costUsd - estimateUsd;
    res.writeHead(response.statusCode, { 'content-type': JSON_TYPE, 'content-length': length, 'x-request-id': id, ...rateLimitHeaders(entry) }).end(out);
  } else {
    res.writeHead(response.statusCode, { 'content-type': JSON_TYPE, 'content-length': length, 'x-request-id': id }).end(out);
  }
  const latencyMs = performance.now() - started;
  observe(response.statusCode, latencyMs);
  const choices = answer.choices as { finish_reason?: string }[] | undefined;
  record({
    id,
    startedAt,
    keyId: entry?.id ?? null,
    requestedModel: requested,
    provider: 'up',
    model: 'bench-model',
    status: response.statusCode,
    attempts: [{ provider: 'up', model: 'bench-model', status: response.statusCode, latencyMs }],
    latencyMs,
    inputTokens: input,
    outputTokens: output,
    costUsd,
    finishReason: choices?.[0]?.finish_reason ?? null,
    routing: [{ providerId: 'up', model: 'bench-model', action: 'try', reason: 'first target' }],
  });
}

const server = createServer((req, res) => {
  const startedAt = Date.now();
  const started = performance.now();
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    serve(req, res, Buffer.concat(chunks).toString('utf8'), startedAt, started).catch(() => {
      if (!res.headersSent) res.writeHead(502).end();
    });
  });
});
server.keepAliveTimeout = 120_000;
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const address = server.address();
serveChildControl(
  typeof address === 'object' && address !== null ? address.port : 0,
  async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await pool.close();
    await store.terminate();
  },
  governed ? secret : undefined,
);
