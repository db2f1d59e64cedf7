import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { serveChildControl } from './child-control.js';

// A minimal, fast stand-in for a model provider: OpenAI chat completions (JSON or SSE), OpenAI's Responses API (a
// stream, as Codex asks for) and Anthropic messages (JSON).
// Bodies are serialised once; a stream's shape comes from the model name, `s<deltas>i<intervalMs>` (default s64i20).

const CREATED = 1767967901;

const openAiBody = Buffer.from(
  JSON.stringify({
    id: 'chatcmpl-bench',
    object: 'chat.completion',
    created: CREATED,
    model: 'bench-model',
    choices: [{ index: 0, message: { role: 'assistant', content: 'The quick brown fox jumps over the lazy dog.', refusal: null }, logprobs: null, finish_reason: 'stop' }],
    usage: { prompt_tokens: 42, completion_tokens: 11, total_tokens: 53 },
    system_fingerprint: 'fp_bench',
  }),
);

const anthropicBody = Buffer.from(
  JSON.stringify({
    id: 'msg_bench',
    type: 'message',
    role: 'assistant',
    model: 'bench-model',
    content: [{ type: 'text', text: 'The quick brown fox jumps over the lazy dog.' }],
    stop_reason: 'end_turn',
    stop_sequence: null,
    usage: { input_tokens: 42, output_tokens: 11, cache_creation_input_tokens: 0, cache_read_input_tokens: 0 },
  }),
);

function chunk(delta: Record<string, unknown>, finish: string | null, usage?: Record<string, number>): string {
  const body = { id: 'chatcmpl-bench', object: 'chat.completion.chunk', created: CREATED, model: 'bench-model', choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }], ...(usage ? { usage } : {}) };
  return `data: ${JSON.stringify(body)}\n\n`;
}

const firstChunk = chunk({ role: 'assistant', content: 'tok ' }, null);
const deltaChunk = chunk({ content: 'tok ' }, null);
const lastChunk = chunk({}, 'stop', { prompt_tokens: 42, completion_tokens: 64, total_tokens: 106 }) + 'data: [DONE]\n\n';

function streamShape(model: unknown): { deltas: number; intervalMs: number } {
  const match = typeof model === 'string' ? /s(\d+)i(\d+)/.exec(model) : null;
  return match ? { deltas: Number(match[1]), intervalMs: Number(match[2]) } : { deltas: 64, intervalMs: 20 };
}

function sendJson(res: ServerResponse, body: Buffer): void {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length });
  res.end(body);
}

function sendStream(res: ServerResponse, deltas: number, intervalMs: number): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.write(firstChunk);
  if (intervalMs === 0) {
    res.end(deltaChunk.repeat(Math.max(0, deltas - 1)) + lastChunk);
    return;
  }
  let sent = 1;
  const timer = setInterval(() => {
    if (sent < deltas) {
      res.write(deltaChunk);
      sent += 1;
      return;
    }
    clearInterval(timer);
    res.end(lastChunk);
  }, intervalMs);
  res.on('close', () => clearInterval(timer));
}

const RESPONSE_DELTAS = 16;
const RESPONSE_TEXT = 'tok '.repeat(RESPONSE_DELTAS);
const RESPONSES_USAGE = { input_tokens: 42, input_tokens_details: { cached_tokens: 0 }, output_tokens: 16, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: 58 };

/** A Responses API stream of a message in RESPONSE_DELTAS text deltas, written at once: the typed events, each with its sequence number. */
const responsesStream = ((): string => {
  const item = { type: 'message', id: 'msg_bench', status: 'in_progress', role: 'assistant', content: [] as unknown[] };
  const response = (status: string, extra: Record<string, unknown>): Record<string, unknown> => ({ id: 'resp_bench', object: 'response', created_at: CREATED, status, model: 'bench-model', ...extra });
  const part = { type: 'output_text', text: RESPONSE_TEXT, annotations: [] };
  const deltas = Array.from({ length: RESPONSE_DELTAS }, () => ({ type: 'response.output_text.delta', item_id: 'msg_bench', output_index: 0, content_index: 0, delta: 'tok ' }));
  const events: Record<string, unknown>[] = [
    { type: 'response.created', response: response('in_progress', { output: [] }) },
    { type: 'response.in_progress', response: response('in_progress', { output: [] }) },
    { type: 'response.output_item.added', output_index: 0, item },
    { type: 'response.content_part.added', item_id: 'msg_bench', output_index: 0, content_index: 0, part: { ...part, text: '' } },
    ...deltas,
    { type: 'response.output_text.done', item_id: 'msg_bench', output_index: 0, content_index: 0, text: RESPONSE_TEXT },
    { type: 'response.content_part.done', item_id: 'msg_bench', output_index: 0, content_index: 0, part },
    { type: 'response.output_item.done', output_index: 0, item: { ...item, status: 'completed', content: [part] } },
    { type: 'response.completed', response: response('completed', { output: [{ ...item, status: 'completed', content: [part] }], usage: RESPONSES_USAGE }) },
  ];
  return events.map((event, sequence) => `event: ${String(event['type'])}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence })}\n\n`).join('');
})();

function sendResponsesStream(res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
  res.end(responsesStream);
}

const unavailableBody = Buffer.from(JSON.stringify({ error: { message: 'The server is overloaded.', type: 'server_error', param: null, code: null } }));

function handle(req: IncomingMessage, res: ServerResponse, text: string): void {
  if (req.url?.endsWith('/messages')) return sendJson(res, anthropicBody);
  if (req.url?.endsWith('/responses')) return sendResponsesStream(res);
  if (text.includes('"model":"fail503"')) {
    res.writeHead(503, { 'content-type': 'application/json', 'content-length': unavailableBody.length });
    res.end(unavailableBody);
    return;
  }
  if (!text.includes('"stream":true')) return sendJson(res, openAiBody);
  const parsed = JSON.parse(text) as { model?: unknown };
  const { deltas, intervalMs } = streamShape(parsed.model);
  sendStream(res, deltas, intervalMs);
}

const server = createServer((req, res) => {
  const parts: Buffer[] = [];
  req.on('data', (part: Buffer) => parts.push(part));
  // Read as Latin-1: the fake looks only at ASCII fields, and decoding UTF-8 with any non-ASCII character in it would
  // cost it ~2 ns a byte (the `agent-unicode` body), slowing every target's upstream alike.
  req.on('end', () => handle(req, res, Buffer.concat(parts).toString('latin1')));
});
server.keepAliveTimeout = 120_000;
server.headersTimeout = 0;
server.requestTimeout = 0;
server.maxConnections = 100_000;
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  serveChildControl(port, () => new Promise((resolve) => server.close(() => resolve())));
});
