import fc from 'fast-check';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';

const ADMIN_KEY = 'admin-key-for-hostile-input-test';
const CONFIG = (dir: string) => `
server: { admin_key: ${ADMIN_KEY}, body_limit_bytes: 2000000 }
storage: { url: "sqlite://${join(dir, 'log.db')}" }
providers:
  sim: { type: simulated }
models:
  main:
    targets: [{ provider: sim, model: echo }]
`;

type ErrorFormat = 'openai' | 'anthropic' | 'gemini' | 'admin';

/** Whether a body is a well-formed error in the given format. */
function isErrorIn(format: ErrorFormat, body: unknown): boolean {
  if (typeof body !== 'object' || body === null) return false;
  const record = body as Record<string, unknown>;
  const error = record.error as Record<string, unknown> | undefined;
  if (typeof error !== 'object' || error === null || typeof error.message !== 'string') return false;
  switch (format) {
    case 'openai':
      return typeof error.type === 'string';
    case 'anthropic':
      return record.type === 'error' && typeof error.type === 'string';
    case 'gemini':
      return typeof error.code === 'number' && typeof error.status === 'string';
    case 'admin':
      return typeof error.code === 'string';
  }
}

const hostileModel = fc.oneof(
  fc.constantFrom('main', 'sim/echo', 'sim/', '/echo', 'sim//x', '__proto__', 'constructor', 'sim/__proto__', '../../etc/passwd', '\u0000', 'sim/%00', ''),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }).map((tail) => `sim/${tail}`),
  fc.integer({ min: 200, max: 5000 }).map((length) => `sim/${'m'.repeat(length)}`),
);

const anyJson = fc.jsonValue({ maxDepth: 4 });
const deepJsonText = fc.integer({ min: 60, max: 20_000 }).map((depth) => `${'['.repeat(depth)}${']'.repeat(depth)}`);

const openAIBody = fc.record(
  {
    model: fc.oneof(hostileModel, anyJson),
    messages: fc.oneof(
      fc.array(fc.record({ role: fc.oneof(fc.constantFrom('user', 'system', 'assistant', 'tool', 'developer'), fc.string()), content: fc.oneof(fc.string(), anyJson) }), { maxLength: 4 }),
      anyJson,
    ),
    stream: fc.oneof(fc.boolean(), anyJson),
    max_tokens: fc.oneof(fc.integer({ min: -5, max: 50 }), anyJson),
    tools: anyJson,
    response_format: anyJson,
    metadata: anyJson,
  },
  { requiredKeys: [] },
);

const anthropicBody = fc.record(
  {
    model: fc.oneof(hostileModel, anyJson),
    max_tokens: fc.oneof(fc.integer({ min: -5, max: 50 }), anyJson),
    messages: fc.oneof(fc.array(fc.record({ role: fc.constantFrom('user', 'assistant', 'x'), content: fc.oneof(fc.string(), anyJson) }), { maxLength: 4 }), anyJson),
    system: anyJson,
    tools: anyJson,
    stream: fc.oneof(fc.boolean(), anyJson),
  },
  { requiredKeys: [] },
);

const geminiBody = fc.record(
  {
    contents: fc.oneof(fc.array(fc.record({ role: fc.constantFrom('user', 'model', 'x'), parts: anyJson }), { maxLength: 3 }), anyJson),
    generationConfig: anyJson,
    tools: anyJson,
    systemInstruction: anyJson,
  },
  { requiredKeys: [] },
);

const embeddingsBody = fc.record({ model: fc.oneof(hostileModel, anyJson), input: anyJson, encoding_format: anyJson, dimensions: anyJson }, { requiredKeys: [] });

/** `{"a":{"a":…1…}}` nested `depth` levels, as JSON text (built without recursion). */
const deepObjectText = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

/**
 * A valid request with a deeply nested value where the gateway passes it along: an unknown field (carried through to
 * a same-format upstream) or a tool's parameter schema (counted and converted). Top-level nesting alone is refused by
 * the parser; nesting inside a valid request is what reached the serialiser and the tokenizer.
 */
const deepInside = (valid: Record<string, unknown>, toolsField?: (schema: string) => string) =>
  fc.tuple(fc.integer({ min: 200, max: 60_000 }), fc.boolean()).map(([depth, inTools]) => {
    const open = JSON.stringify(valid).slice(0, -1);
    const deep = deepObjectText(depth);
    return inTools && toolsField ? `${open},${toolsField(deep)}}` : `${open},"x_passthrough":${deep}}`;
  });

/** The bodies of the endpoints that came with governance and the control plane: scores, comparisons, Responses, batches. */
const feedbackBody = fc.record(
  { request_id: fc.oneof(fc.string({ maxLength: 300 }), anyJson), score: fc.oneof(fc.double(), fc.boolean(), anyJson), metric: fc.oneof(fc.string({ maxLength: 80 }), anyJson), comment: anyJson },
  { requiredKeys: [] },
);
const compareBody = fc.record(
  {
    models: fc.oneof(fc.array(hostileModel, { maxLength: 10 }), anyJson),
    messages: fc.oneof(fc.array(fc.record({ role: fc.constantFrom('user', 'system', 'bogus'), content: fc.oneof(fc.string(), anyJson) }), { maxLength: 3 }), anyJson),
    judge: anyJson,
    stream: fc.oneof(fc.boolean(), anyJson),
    max_tokens: fc.oneof(fc.integer({ min: -5, max: 20 }), anyJson),
  },
  { requiredKeys: [] },
);
const responsesBody = fc.record(
  {
    model: fc.oneof(hostileModel, anyJson),
    input: fc.oneof(fc.string(), anyJson),
    instructions: anyJson,
    previous_response_id: fc.oneof(fc.string({ maxLength: 80 }), anyJson),
    store: anyJson,
    background: anyJson,
    stream: fc.oneof(fc.boolean(), anyJson),
    tools: anyJson,
  },
  { requiredKeys: [] },
);
const batchBody = fc.record(
  {
    input_file_id: fc.oneof(fc.string({ maxLength: 100 }), anyJson),
    endpoint: fc.oneof(fc.constantFrom('/v1/chat/completions', '/v1/embeddings', '/v1/responses', '/v1/messages'), anyJson),
    completion_window: fc.oneof(fc.constant('24h'), anyJson),
    metadata: anyJson,
  },
  { requiredKeys: [] },
);

/** A body as sent: structured, arbitrary JSON, too deep (at the top or inside a valid request), or not JSON at all. */
const bodyText = (structured: fc.Arbitrary<unknown>, deepValid?: fc.Arbitrary<string>) =>
  fc.oneof(
    { weight: 5, arbitrary: structured.map((value) => JSON.stringify(value)) },
    { weight: deepValid ? 2 : 0, arbitrary: deepValid ?? fc.constant('') },
    { weight: 2, arbitrary: anyJson.map((value) => JSON.stringify(value)) },
    { weight: 1, arbitrary: deepJsonText },
    { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }) },
    { weight: 1, arbitrary: fc.constantFrom('', '{', '{"model":', 'null', '[]', '"x"', '1e999999', '{"model":"main","messages":[{"role":"user","content":"\\ud800"}]}') },
  );

const contentType = fc.oneof(
  { weight: 6, arbitrary: fc.constant('application/json') },
  { weight: 1, arbitrary: fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'application/json; charset=latin1', 'application/vnd.api+json', 'APPLICATION/JSON', '', 'multipart/form-data; boundary=z') },
);

const headerValue = fc.string({ maxLength: 60 }).map((value) => value.replace(/[^\x20-\x7e]/g, ''));
// Credential headers stay out: the suite-wide log scan treats every credential a client sends as a secret marker, and
// random short values would match ordinary log text.
const extraHeaders = fc.record(
  { 'x-request-id': headerValue, 'anthropic-version': headerValue, 'anthropic-beta': headerValue, accept: headerValue, 'accept-encoding': headerValue },
  { requiredKeys: [] },
);

interface PostCase {
  path: string;
  body: string;
  contentType: string;
  headers: Record<string, string>;
}

const geminiPath = fc.tuple(fc.oneof(hostileModel, fc.constantFrom('main', 'sim%2Fecho')), fc.constantFrom(':generateContent', ':streamGenerateContent?alt=sse', ':countTokens', ':bogus', '', ':')).map(
  ([model, method]) => `/v1beta/models/${encodeURIComponent(model).slice(0, 6000)}${method}`,
);

const postCases: ReadonlyArray<{ name: string; format: ErrorFormat; cases: fc.Arbitrary<PostCase> }> = [
  {
    name: 'openai chat',
    format: 'openai',
    cases: fc.record({
      path: fc.constant('/v1/chat/completions'),
      body: bodyText(
        openAIBody,
        deepInside({ model: 'main', messages: [{ role: 'user', content: 'deep' }] }, (schema) => `"tools":[{"type":"function","function":{"name":"f","parameters":${schema}}}]`),
      ),
      contentType,
      headers: extraHeaders,
    }),
  },
  {
    name: 'openai feedback, compare, responses and batches',
    format: 'openai',
    cases: fc.oneof(
      fc.record({ path: fc.constant('/v1/feedback'), body: bodyText(feedbackBody), contentType, headers: extraHeaders }),
      fc.record({ path: fc.constant('/v1/compare'), body: bodyText(compareBody), contentType, headers: extraHeaders }),
      fc.record({ path: fc.constant('/v1/responses'), body: bodyText(responsesBody), contentType, headers: extraHeaders }),
      fc.record({ path: fc.constant('/v1/batches'), body: bodyText(batchBody), contentType, headers: extraHeaders }),
    ),
  },
  { name: 'openai embeddings', format: 'openai', cases: fc.record({ path: fc.constant('/v1/embeddings'), body: bodyText(embeddingsBody), contentType, headers: extraHeaders }) },
  { name: 'anthropic messages', format: 'anthropic', cases: fc.record({
      path: fc.constantFrom('/v1/messages', '/v1/messages/count_tokens'),
      body: bodyText(
        anthropicBody,
        deepInside({ model: 'main', max_tokens: 10, messages: [{ role: 'user', content: 'deep' }] }, (schema) => `"tools":[{"name":"f","input_schema":${schema}}]`),
      ),
      contentType,
      headers: extraHeaders,
    }),
  },
  { name: 'gemini', format: 'gemini', cases: fc.record({
      path: geminiPath,
      body: bodyText(
        geminiBody,
        deepInside({ contents: [{ role: 'user', parts: [{ text: 'deep' }] }] }, (schema) => `"tools":[{"functionDeclarations":[{"name":"f","parameters":${schema}}]}]`),
      ),
      contentType,
      headers: extraHeaders,
    }),
  },
];

const getPaths = fc.oneof(
  fc.constantFrom('/v1/models', '/v1beta/models', '/health', '/ready', '/metrics', '/admin/requests', '/admin/stats', '/admin/breakers', '/v1/chat/completions', '/nope'),
  fc.constantFrom('/v1/batches', '/v1/files', '/v1/responses/resp_x', '/v1/batches/batch_x', '/admin/comparisons', '/admin/feedback/summary', '/admin/keys', '/admin/audit'),
  fc.tuple(fc.constantFrom('/admin/requests', '/admin/stats', '/v1/models', '/v1/batches', '/admin/comparisons', '/admin/audit', '/admin/feedback/summary'), fc.string({ maxLength: 80 })).map(([path, query]) => `${path}?${encodeURIComponent(query).replace(/%3D/g, '=').replace(/%26/g, '&')}`),
  fc.constantFrom('/admin/requests?limit=-1', '/admin/requests?cursor=%%%', '/admin/stats?window=99999d', '/admin/requests/..%2F..%2Fetc', '/admin/requests?from=abc&to=1e99', '/admin/stats?group_by=__proto__'),
  fc.string({ maxLength: 40 }).map((tail) => `/admin/requests/${encodeURIComponent(tail)}`),
);

let gateway: TestGateway;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-hostile-'));
  gateway = await startTestGateway(CONFIG(dir), {}, { persist: true });
});
afterAll(async () => {
  await gateway.close();
  rmSync(dir, { recursive: true, force: true });
});

async function send(path: string, init: RequestInit): Promise<{ status: number; body: unknown }> {
  // A hang is a failure: every request must be answered well within this.
  const response = await fetch(`${gateway.url}${path}`, { ...init, signal: AbortSignal.timeout(10_000) });
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) as unknown };
  } catch {
    return { status: response.status, body: text };
  }
}

function formatFor(path: string, fallback: ErrorFormat): ErrorFormat {
  if (path.startsWith('/admin/')) return 'admin';
  if (path.startsWith('/v1beta/')) return 'gemini';
  return fallback;
}

describe('hostile input at every endpoint', () => {
  const startRss = process.memoryUsage().rss;

  it.each(postCases.map((entry) => [entry.name, entry] as const))('%s: never a 5xx; every error well-formed in the endpoint format', async (_name, entry) => {
    await fc.assert(
      fc.asyncProperty(entry.cases, async ({ path, body, contentType: type, headers }) => {
        const answer = await send(path, { method: 'POST', body, headers: { ...headers, ...(type === '' ? {} : { 'content-type': type }) } });
        expect(answer.status, `${path} ${body.slice(0, 120)}`).toBeLessThan(500);
        if (answer.status >= 400) expect(isErrorIn(formatFor(path, entry.format), answer.body), JSON.stringify(answer.body).slice(0, 300)).toBe(true);
      }),
      { numRuns: 60, seed: 1005 },
    );
  });

  it('GET endpoints, admin included, with hostile paths, queries and headers', async () => {
    await fc.assert(
      fc.asyncProperty(getPaths, fc.boolean(), extraHeaders, async (path, withKey, headers) => {
        const answer = await send(path, { headers: { ...headers, ...(withKey ? { authorization: `Bearer ${ADMIN_KEY}` } : {}) } });
        expect(answer.status, path).toBeLessThan(500);
        if (answer.status >= 400 && path !== '/metrics') expect(isErrorIn(formatFor(path, 'openai'), answer.body), `${path} ${JSON.stringify(answer.body).slice(0, 200)}`).toBe(true);
      }),
      { numRuns: 80, seed: 1005 },
    );
  });

  it('still serves afterwards, with memory back near where it started', async () => {
    const served = await send('/v1/chat/completions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'main', messages: [{ role: 'user', content: 'still here' }] }),
    });
    expect(served.status).toBe(200);
    expect((await send('/health', {})).status).toBe(200);
    const grownMb = (process.memoryUsage().rss - startRss) / 1024 / 1024;
    // Generous: the test process also holds the fuzzer and vitest; a leak per hostile request would show as hundreds.
    expect(grownMb).toBeLessThan(300);
  });
});
