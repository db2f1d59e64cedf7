import Anthropic from '@anthropic-ai/sdk';
import { GoogleGenAI } from '@google/genai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeUpstream, type FakeUpstream, type RecordedRequest } from '../fakes/index.js';
import { startTestGateway, type TestGateway } from '../support/start-test-gateway.js';
import { agentFixture, parseSse, replay, type SseFrame } from './replay-agent-request.js';

type Json = Record<string, unknown>;

interface UpstreamRow {
  name: string;
  fake: 'openai' | 'anthropic' | 'gemini';
  provider: (url: string) => string;
  model: string;
  /** What the upstream body must show for Claude Code's first turn (system text placement, reasoning controls). */
  checkFirstTurn: (request: RecordedRequest) => void;
}

const body = (request: RecordedRequest | undefined): Json => (request?.body ?? {}) as Json;
const text = (value: unknown): string => JSON.stringify(value);

const ROWS: UpstreamRow[] = [
  {
    name: 'llama.cpp-style openai-compatible',
    fake: 'openai',
    provider: (url) => `{ type: openai-compatible, base_url: "${url}/v1", api_key: local-key }`,
    model: 'qwen3-coder',
    checkFirstTurn(request) {
      const messages = body(request).messages as Json[];
      // Chat templates of local servers refuse a system message after the first turn: it is folded in, in order.
      expect(messages.filter((m) => m.role === 'system')).toHaveLength(1);
      expect(messages[0]?.role).toBe('system');
      expect(text(messages[0]?.content)).toMatch(/command-line coding assistant[\s\S]*prefers short answers/);
      expect(body(request).reasoning_effort).toBe('high');
    },
  },
  {
    name: 'openai',
    fake: 'openai',
    provider: (url) => `{ type: openai, base_url: "${url}/v1", api_key: oai-key }`,
    model: 'gpt-4o',
    checkFirstTurn(request) {
      const messages = body(request).messages as Json[];
      expect(messages.at(-1)).toMatchObject({ role: 'system', content: 'The user prefers short answers.' });
      // gpt-4o generates at most 16384 tokens: Claude Code's 32000 is clamped, not refused.
      expect(body(request).max_completion_tokens).toBe(16384);
    },
  },
  {
    name: 'anthropic',
    fake: 'anthropic',
    provider: (url) => `{ type: anthropic, base_url: "${url}", api_key: ant-key }`,
    model: 'claude-sonnet-4-5',
    checkFirstTurn(request) {
      const sent = body(request);
      expect(request.path).toBe('/v1/messages');
      expect(sent.context_management).toEqual({ edits: [{ type: 'clear_thinking_20251015', keep: 'all' }] });
      expect(sent.thinking).toEqual({ type: 'adaptive' });
      expect(String(request.headers['anthropic-beta'])).toContain('context-management-2025-06-27');
      // The provider speaks 2023-06-01 by default: the trailing system message joins `system`, in order.
      expect((sent.messages as Json[]).some((m) => m.role === 'system')).toBe(false);
      expect(text(sent.system)).toMatch(/cache_control[\s\S]*prefers short answers/);
      expect((sent.tools as Json[]).find((tool) => tool.name === 'mcp__notes__lookup')).toMatchObject({ defer_loading: true });
      expect(sent.max_tokens).toBe(32000);
    },
  },
  {
    name: 'gemini',
    fake: 'gemini',
    provider: (url) => `{ type: gemini, base_url: "${url}", api_key: gem-key }`,
    model: 'gemini-2.5-pro',
    checkFirstTurn(request) {
      const sent = body(request);
      expect(text(sent.systemInstruction)).toMatch(/command-line coding assistant[\s\S]*prefers short answers/);
      expect((sent.contents as Json[]).every((content) => content.role === 'user' || content.role === 'model')).toBe(true);
      expect((sent.generationConfig as Json).thinkingConfig).toMatchObject({ includeThoughts: true });
      expect((sent.tools as Json[])[0]).toHaveProperty('functionDeclarations');
    },
  },
];

const CLAUDE_FIRST = agentFixture('claude-code-first-turn.json');
const CLAUDE_TOOL_RESULT = agentFixture('claude-code-tool-result.json');
const GEMINI_FIRST = agentFixture('gemini-cli-first-turn.json');
const GEMINI_TOOL_RESULT = agentFixture('gemini-cli-tool-result.json');

/** Every thinking and text block opens once, carries only its own delta type, and closes. */
function expectCleanAnthropicStream(frames: SseFrame[]): void {
  expect(frames.filter((frame) => frame.event === 'message_start')).toHaveLength(1);
  expect(frames[0]?.event).toBe('message_start');
  const kinds = new Map<number, string>();
  for (const frame of frames) {
    if (frame.event === 'content_block_start') kinds.set(frame.data.index as number, (frame.data.content_block as Json).type as string);
    if (frame.event === 'content_block_delta') {
      const delta = (frame.data.delta as Json).type as string;
      const kind = kinds.get(frame.data.index as number);
      const allowed: Record<string, string[]> = { text: ['text_delta'], thinking: ['thinking_delta', 'signature_delta'], tool_use: ['input_json_delta'] };
      expect(allowed[kind ?? '']).toContain(delta);
    }
  }
  expect(frames.at(-1)?.event).toBe('message_stop');
}

for (const row of ROWS) {
  describe(`Claude Code and Gemini CLI request shapes through a ${row.name} upstream`, () => {
    let fake: FakeUpstream;
    let gateway: TestGateway;

    beforeAll(async () => {
      fake = await startFakeUpstream(row.fake);
      gateway = await startTestGateway(`
defaults: { retry: { attempts: 1 } }
providers:
  up: ${row.provider(fake.url)}
models:
  claude-*: { targets: [{ provider: up, model: ${row.model} }] }
  gemini-*: { targets: [{ provider: up, model: ${row.model} }] }
`);
    });
    afterAll(async () => {
      await gateway.close();
      await fake.close();
    });

    it('Claude Code first turn (2023-06-01, trailing system message, 32000 max_tokens, betas, adaptive thinking) streams thinking then text', async () => {
      fake.enqueue({ kind: 'text', text: 'README.md and src.', reasoning: 'List the directory first.', usage: { input: 900, output: 6, reasoning: 5 } });
      const reply = await replay(gateway.url, CLAUDE_FIRST);
      expect(reply.status, reply.text).toBe(200);
      const frames = parseSse(reply.text);
      expectCleanAnthropicStream(frames);
      const start = (frames[0]?.data.message as Json).usage as Json;
      expect(start.input_tokens).toBeGreaterThan(0);
      const blocks = frames.filter((frame) => frame.event === 'content_block_start').map((frame) => (frame.data.content_block as Json).type);
      expect(blocks).toEqual(['thinking', 'text']);
      row.checkFirstTurn(fake.requests.at(-1)!);
      // Betas only mean something to Anthropic: elsewhere they are dropped, and the client is told so.
      const warnings = reply.headers.get('x-switchyard-warnings') ?? '';
      if (row.fake === 'anthropic') expect(warnings).not.toContain('anthropic-beta');
      else expect(warnings).toContain('parameter_dropped(anthropic-beta)');
    });

    it('Claude Code under anthropic-version 2026-10-21 is accepted too', async () => {
      fake.enqueue({ kind: 'text', text: 'ok' });
      const reply = await replay(gateway.url, { ...CLAUDE_FIRST, headers: { ...CLAUDE_FIRST.headers, 'anthropic-version': '2026-10-21' } });
      expect(reply.status, reply.text).toBe(200);
    });

    it('Claude Code tool call arrives as input_json_delta fragments that parse to the full input', async () => {
      fake.enqueue({ kind: 'tool-calls', calls: [{ id: 'toolu_01Fake0000000000000000', name: 'Bash', arguments: { command: 'ls -la', description: 'List files' } }], argumentChunks: 3 });
      const reply = await replay(gateway.url, CLAUDE_FIRST);
      expect(reply.status, reply.text).toBe(200);
      const frames = parseSse(reply.text);
      expectCleanAnthropicStream(frames);
      const json = frames
        .filter((frame) => frame.event === 'content_block_delta' && (frame.data.delta as Json).type === 'input_json_delta')
        .map((frame) => (frame.data.delta as Json).partial_json as string)
        .join('');
      expect(JSON.parse(json)).toEqual({ command: 'ls -la', description: 'List files' });
      expect(frames.find((frame) => frame.event === 'message_delta')?.data.delta).toMatchObject({ stop_reason: 'tool_use' });
    });

    it('Claude Code tool result turn, through the official Anthropic SDK with the agent headers', async () => {
      fake.enqueue({ kind: 'text', text: 'Three entries.' });
      const { 'content-type': _type, 'user-agent': _agent, ...headers } = CLAUDE_TOOL_RESULT.headers;
      const client = new Anthropic({ baseURL: gateway.url, apiKey: 'claude-code-client', maxRetries: 0, defaultHeaders: headers });
      const message = await client.messages.stream(CLAUDE_TOOL_RESULT.body as unknown as Anthropic.MessageStreamParams).finalMessage();
      expect(message.content.filter((block) => block.type === 'text').map((block) => block.text).join('')).toBe('Three entries.');
      expect(text(fake.requests.at(-1)?.body)).toContain('README.md');
    });

    it('Claude Code count_tokens works for this target', async () => {
      const { stream: _stream, max_tokens: _max, ...countBody } = CLAUDE_FIRST.body;
      const reply = await replay(gateway.url, { ...CLAUDE_FIRST, path: '/v1/messages/count_tokens?beta=true' }, countBody);
      expect(reply.status, reply.text).toBe(200);
      expect((JSON.parse(reply.text) as Json).input_tokens).toBeGreaterThan(100);
    });

    it('Gemini CLI first turn streams thought parts apart from the answer', async () => {
      fake.enqueue({ kind: 'text', text: 'README.md and src.', reasoning: 'List it.' });
      const reply = await replay(gateway.url, GEMINI_FIRST);
      expect(reply.status, reply.text).toBe(200);
      const parts = parseSse(reply.text).flatMap((frame) => ((frame.data.candidates as Json[] | undefined)?.[0]?.content as Json | undefined)?.parts as Json[] | undefined ?? []);
      expect(parts.filter((part) => part.thought === true).map((part) => part.text).join('')).toBe('List it.');
      expect(parts.filter((part) => part.thought !== true).map((part) => part.text).join('')).toBe('README.md and src.');
    });

    it('Gemini CLI tool call and tool result, through the official @google/genai SDK', async () => {
      fake.enqueue({ kind: 'tool-calls', calls: [{ id: 'call_1', name: 'list_directory', arguments: { dir_path: '/tmp/project' } }] });
      const ai = new GoogleGenAI({ apiKey: 'gemini-cli-client', httpOptions: { baseUrl: gateway.url, headers: { 'user-agent': GEMINI_FIRST.headers['user-agent']! } } });
      const { contents, systemInstruction, tools, generationConfig } = GEMINI_FIRST.body as Json;
      const config = { systemInstruction, tools, ...(generationConfig as Json) } as Parameters<typeof ai.models.generateContentStream>[0]['config'];
      let call: unknown;
      for await (const chunk of await ai.models.generateContentStream({ model: 'gemini-2.5-pro', contents: contents as never, config })) {
        call ??= chunk.functionCalls?.[0];
      }
      expect(call).toMatchObject({ name: 'list_directory', args: { dir_path: '/tmp/project' } });

      fake.enqueue({ kind: 'text', text: 'Three entries.' });
      const reply = await replay(gateway.url, GEMINI_TOOL_RESULT);
      expect(reply.status, reply.text).toBe(200);
      expect(text(fake.requests.at(-1)?.body)).toContain('package.json');
    });
  });
}

describe('max_tokens that does not fit: clamped by default, refused under routing.strict_max_tokens', () => {
  let fake: FakeUpstream;
  beforeAll(async () => {
    fake = await startFakeUpstream('openai');
  });
  afterAll(async () => {
    await fake.close();
  });
  const config = (strict: boolean): string => `
defaults: { retry: { attempts: 1 } }
routing: { strict_max_tokens: ${strict} }
providers:
  oai: { type: openai, base_url: "${fake.url}/v1", api_key: oai-key }
models:
  claude-*: { targets: [{ provider: oai, model: gpt-4 }] }
`;

  it('clamps Claude Code 32000 to what gpt-4’s 8192 window leaves, with a warning header and a record', async () => {
    const gateway = await startTestGateway(config(false));
    try {
      fake.enqueue({ kind: 'text', text: 'ok' });
      const reply = await replay(gateway.url, CLAUDE_FIRST);
      expect(reply.status, reply.text).toBe(200);
      const sent = body(fake.requests.at(-1)).max_completion_tokens as number;
      expect(sent).toBeGreaterThan(1024);
      expect(sent).toBeLessThan(8192);
      expect(reply.headers.get('x-switchyard-warnings')).toContain('parameter_adjusted(max_tokens)');
      expect(text(gateway.requestLog.records.at(-1)?.warnings)).toContain('max_tokens 32000 lowered');
    } finally {
      await gateway.close();
    }
  });

  it('answers 400 context_length_exceeded when strict', async () => {
    const gateway = await startTestGateway(config(true));
    try {
      const reply = await replay(gateway.url, CLAUDE_FIRST);
      expect(reply.status).toBe(400);
      expect(reply.text).toContain('does not fit the context window');
    } finally {
      await gateway.close();
    }
  });
});
