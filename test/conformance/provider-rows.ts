import { expect } from 'vitest';
import type { RecordedRequest } from '../fakes/index.js';
import type { ProviderRow } from './conformance-types.js';
import { UPSTREAM_KEYS } from './upstream-keys.js';

type Json = Record<string, unknown>;

function body(request: RecordedRequest): Json {
  return request.body as Json;
}

function list(value: unknown): Json[] {
  expect(Array.isArray(value)).toBe(true);
  return value as Json[];
}

const OPENAI_KEY = UPSTREAM_KEYS.openai;
const ANTHROPIC_KEY = UPSTREAM_KEYS.anthropic;
const GEMINI_KEY = UPSTREAM_KEYS.gemini;

/** The OpenAI-format fake behind an `openai` provider. */
const openAiRow: ProviderRow = {
  name: 'openai',
  fake: 'openai',
  upstreamModel: 'gpt-4o',
  apiKey: OPENAI_KEY,
  givesToolCallIds: true,
  reportsReasoningTokens: true,
  providerConfig: (url) => ({ type: 'openai', base_url: `${url}/v1`, api_key: OPENAI_KEY }),
  common(request, caseDef) {
    expect(request.path).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe(`Bearer ${OPENAI_KEY}`);
    expect(body(request).model).toBe('gpt-4o');
    expect(body(request).stream === true).toBe(caseDef.request.stream);
  },
  checks: {
    'plain-text': (request) => {
      expect(list(body(request).messages)[0]).toEqual({ role: 'system', content: 'You are terse.' });
    },
    'streamed-text': (request) => {
      expect(body(request).stream_options).toEqual({ include_usage: true });
    },
    'tool-calls': (request) => {
      const tools = list(body(request).tools).map((tool) => (tool.function as Json).name);
      expect(tools).toEqual(['get_weather', 'get_time']);
    },
    'tool-result-round-trip': (request) => {
      const messages = list(body(request).messages);
      const assistant = messages.find((m) => m.role === 'assistant');
      const callIds = list(assistant?.tool_calls).map((call) => call.id);
      const results = messages.filter((m) => m.role === 'tool');
      expect(results.map((m) => m.tool_call_id)).toEqual(callIds);
      expect(results.map((m) => m.content)).toEqual([expect.stringContaining('18C'), expect.stringContaining('14:00')]);
      expect(messages.at(-1)).toMatchObject({ role: 'user' });
      expect(JSON.stringify(messages.at(-1)?.content)).toContain('Summarise, please.');
      expect(list(assistant?.tool_calls).map((call) => (call.function as Json).name)).toEqual(['get_weather', 'get_time']);
    },
    'json-schema': (request) => {
      const format = body(request).response_format as Json;
      expect(format.type).toBe('json_schema');
      expect((format.json_schema as Json).schema).toMatchObject({ properties: { answer: { type: 'string' } } });
    },
    image: (request) => {
      const content = list(list(body(request).messages).at(-1)?.content);
      expect(content).toContainEqual({ type: 'image_url', image_url: { url: expect.stringMatching(/^data:image\/png;base64,iVBOR/) } });
    },
    'length-finish': (request) => {
      const limit = body(request).max_completion_tokens ?? body(request).max_tokens;
      expect(limit).toBe(5);
    },
  },
};

/** The Anthropic-format fake behind an `anthropic` provider. */
const anthropicRow: ProviderRow = {
  name: 'anthropic',
  fake: 'anthropic',
  upstreamModel: 'claude-sonnet-4-5',
  apiKey: ANTHROPIC_KEY,
  givesToolCallIds: true,
  reportsReasoningTokens: false,
  providerConfig: (url) => ({ type: 'anthropic', base_url: url, api_key: ANTHROPIC_KEY }),
  common(request, caseDef) {
    expect(request.path).toBe('/v1/messages');
    expect(request.headers['x-api-key']).toBe(ANTHROPIC_KEY);
    expect(request.headers['anthropic-version']).toBe('2023-06-01');
    expect(request.headers.authorization).toBeUndefined();
    expect(body(request).model).toBe('claude-sonnet-4-5');
    expect(typeof body(request).max_tokens).toBe('number');
    expect(body(request).stream === true).toBe(caseDef.request.stream);
    for (const message of list(body(request).messages)) expect(['user', 'assistant']).toContain(message.role);
  },
  checks: {
    'plain-text': (request) => {
      const system = body(request).system;
      const text = typeof system === 'string' ? system : list(system).map((block) => block.text).join('');
      expect(text).toBe('You are terse.');
    },
    'tool-calls': (request) => {
      const tools = list(body(request).tools);
      expect(tools.map((tool) => tool.name)).toEqual(['get_weather', 'get_time']);
      expect(tools[0]?.input_schema).toMatchObject({ type: 'object', properties: { city: { type: 'string' } } });
    },
    'tool-result-round-trip': (request) => {
      const messages = list(body(request).messages);
      const assistant = messages.find((m) => m.role === 'assistant');
      const uses = list(assistant?.content).filter((block) => block.type === 'tool_use');
      expect(uses.map((use) => use.name)).toEqual(['get_weather', 'get_time']);
      const last = list(messages.at(-1)?.content);
      expect(messages.at(-1)?.role).toBe('user');
      expect(last.slice(0, 2).map((block) => block.type)).toEqual(['tool_result', 'tool_result']);
      expect(last.slice(0, 2).map((block) => block.tool_use_id)).toEqual(uses.map((use) => use.id));
      expect(JSON.stringify(last[0]?.content)).toContain('18C');
      expect(last.slice(2)).toEqual([{ type: 'text', text: 'Summarise, please.' }]);
      messages.forEach((message, i) => expect(message.role).toBe(i % 2 === 0 ? 'user' : 'assistant'));
    },
    'json-schema': (request) => {
      expect(body(request).output_config).toMatchObject({
        format: { type: 'json_schema', schema: { properties: { answer: { type: 'string' } } } },
      });
    },
    image: (request) => {
      const content = list(list(body(request).messages).at(-1)?.content);
      expect(content).toContainEqual({
        type: 'image',
        source: { type: 'base64', media_type: 'image/png', data: expect.stringMatching(/^iVBOR/) },
      });
    },
    'length-finish': (request) => {
      expect(body(request).max_tokens).toBe(5);
    },
  },
};

function generationConfig(request: RecordedRequest): Json {
  return (body(request).generationConfig ?? {}) as Json;
}

function parts(content: Json | undefined): Json[] {
  return list(content?.parts);
}

/** The Gemini-format fake behind a `gemini` provider. */
const geminiRow: ProviderRow = {
  name: 'gemini',
  fake: 'gemini',
  upstreamModel: 'gemini-2.5-flash',
  apiKey: GEMINI_KEY,
  givesToolCallIds: false,
  reportsReasoningTokens: true,
  providerConfig: (url) => ({ type: 'gemini', base_url: url, api_key: GEMINI_KEY }),
  common(request, caseDef) {
    const method = caseDef.request.stream ? 'streamGenerateContent?alt=sse' : 'generateContent';
    expect(request.path).toBe(`/v1beta/models/gemini-2.5-flash:${method}`);
    expect(request.headers['x-goog-api-key']).toBe(GEMINI_KEY);
    expect(body(request).model).toBeUndefined();
    for (const content of list(body(request).contents)) expect(['user', 'model']).toContain(content.role);
  },
  checks: {
    'plain-text': (request) => {
      expect(body(request).systemInstruction).toMatchObject({ parts: [{ text: 'You are terse.' }] });
    },
    'tool-calls': (request) => {
      const declarations = list(list(body(request).tools)[0]?.functionDeclarations);
      expect(declarations.map((declaration) => declaration.name)).toEqual(['get_weather', 'get_time']);
    },
    'tool-result-round-trip': (request) => {
      const contents = list(body(request).contents);
      const model = contents.find((content) => content.role === 'model');
      expect(parts(model).map((part) => (part.functionCall as Json).name)).toEqual(['get_weather', 'get_time']);
      const after = contents.slice(contents.indexOf(model as Json) + 1).flatMap((content) => parts(content));
      const responses = after.filter((part) => part.functionResponse !== undefined).map((part) => part.functionResponse as Json);
      expect(responses.map((response) => response.name)).toEqual(['get_weather', 'get_time']);
      expect(JSON.stringify(responses[0]?.response)).toContain('18C');
      expect(after.at(-1)).toEqual({ text: 'Summarise, please.' });
    },
    'json-schema': (request) => {
      expect(generationConfig(request).responseMimeType).toBe('application/json');
      expect(generationConfig(request).responseJsonSchema).toMatchObject({ properties: { answer: { type: 'string' } } });
    },
    image: (request) => {
      const content = parts(list(body(request).contents).at(-1));
      expect(content).toContainEqual({ inlineData: { mimeType: 'image/png', data: expect.stringMatching(/^iVBOR/) } });
    },
    'length-finish': (request) => {
      expect(generationConfig(request).maxOutputTokens).toBe(5);
    },
  },
};

/** The in-process simulated provider: no upstream to inspect. */
const simulatedRow: ProviderRow = {
  name: 'simulated',
  upstreamModel: '',
  apiKey: '',
  givesToolCallIds: false,
  reportsReasoningTokens: false,
  providerConfig: () => ({ type: 'simulated' }),
  common: () => undefined,
  checks: {},
};

/** Every provider the matrix runs against; a new provider is one more row. */
export const PROVIDER_ROWS: readonly ProviderRow[] = [openAiRow, anthropicRow, geminiRow, simulatedRow];
