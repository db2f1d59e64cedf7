import type { ConformanceCase, NeutralTool } from './conformance-types.js';
import { UPSTREAM_KEYS } from './upstream-keys.js';

/** A 1×1 PNG. */
const PIXEL_PNG =
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

const TOOLS: NeutralTool[] = [
  {
    name: 'get_weather',
    description: 'Current weather for a city',
    parameters: { type: 'object', properties: { city: { type: 'string' }, units: { type: 'string' } }, required: ['city'] },
  },
  {
    name: 'get_time',
    description: 'Current time in a zone',
    parameters: { type: 'object', properties: { zone: { type: 'string' } }, required: ['zone'] },
  },
];

const CALLS = [
  { id: 'call_weather_01', name: 'get_weather', arguments: { city: 'Paris', units: 'metric' } },
  { id: 'call_time_02', name: 'get_time', arguments: { zone: 'Europe/Paris' } },
];
const CALL_IDS = CALLS.map((call) => call.id);
const EXPECTED_CALLS = CALLS.map((call) => ({ name: call.name, args: call.arguments }));
const TOOL_USAGE = { input: 20, output: 14 };

const ANSWER_SCHEMA = {
  type: 'object',
  properties: { answer: { type: 'string' } },
  required: ['answer'],
  additionalProperties: false,
};

const SIMULATED_USAGE_BUCKETS = 'the simulated provider reports only input and output token counts';

const TOOL_CALLS_CASE: ConformanceCase = {
  id: 'tool-calls',
  title: 'two parallel tool calls, reassembled exactly',
  request: { messages: [{ role: 'user', text: 'Weather and time in Paris?' }], tools: TOOLS, stream: false },
  upstream: {
    script: { kind: 'tool-calls', calls: CALLS, argumentChunks: 3, usage: TOOL_USAGE },
    simulated: { tool_calls: CALLS.map(({ name, arguments: args }) => ({ name, arguments: args })), usage: TOOL_USAGE },
  },
  expect: { kind: 'reply', toolCalls: EXPECTED_CALLS, toolCallIds: CALL_IDS, finish: 'tool-calls', usage: TOOL_USAGE },
};

const TEXT_THEN_TOOLS_CASE: ConformanceCase = {
  id: 'text-then-tools',
  title: 'text followed by a call with arguments and a call without',
  request: { messages: [{ role: 'user', text: 'Weather, and the time here?' }], tools: TOOLS, stream: false },
  upstream: {
    script: {
      kind: 'tool-calls',
      text: 'Let me check both.',
      calls: [
        { id: 'call_weather_01', name: 'get_weather', arguments: { city: 'Zürich 🌤' } },
        { id: 'call_time_02', name: 'get_time', arguments: {} },
      ],
      argumentChunks: 5,
    },
    simulated: {},
  },
  expect: {
    kind: 'reply',
    text: 'Let me check both.',
    toolCalls: [
      { name: 'get_weather', args: { city: 'Zürich 🌤' } },
      { name: 'get_time', args: {} },
    ],
    toolCallIds: ['call_weather_01', 'call_time_02'],
    finish: 'tool-calls',
  },
  skip: { simulated: 'the simulated provider answers with text or tool calls, never both' },
};

/** Upstream behaviour and expectation for a case whose answer is plain text. */
function answersWith(text: string): Pick<ConformanceCase, 'upstream' | 'expect'> {
  return { upstream: { script: { kind: 'text', text }, simulated: { output: text } }, expect: { kind: 'reply', text, finish: 'stop' } };
}

const JSON_SCHEMA_CASE: ConformanceCase = {
  id: 'json-schema',
  title: 'json_schema structured output',
  request: {
    messages: [{ role: 'user', text: 'What is the answer?' }],
    jsonSchema: { name: 'answer', schema: ANSWER_SCHEMA },
    stream: false,
  },
  upstream: {
    script: { kind: 'text', text: '{"answer":"42"}' },
    simulated: { output: '{"answer":"42"}' },
  },
  expect: { kind: 'reply', json: { answer: '42' }, finish: 'stop' },
};

const LENGTH_CASE: ConformanceCase = {
  id: 'length-finish',
  title: 'max tokens reached maps to the length finish reason',
  request: { messages: [{ role: 'user', text: 'Count.' }], maxTokens: 5, stream: false },
  upstream: {
    script: { kind: 'text', text: 'one two three four five', finish: 'length', usage: { input: 8, output: 5 } },
    simulated: { output: 'one two three four five six', usage: { input: 8, output: 5 } },
  },
  expect: { kind: 'reply', finish: 'length', usage: { input: 8, output: 5 } },
};

const USAGE_CASE: ConformanceCase = {
  id: 'usage-buckets',
  title: 'cached and reasoning tokens land in the right usage fields',
  request: { messages: [{ role: 'user', text: 'Think, then answer.' }], stream: false },
  upstream: {
    script: {
      kind: 'text',
      text: 'Done.',
      reasoning: 'Thinking it over.',
      usage: { input: 10, output: 5, cacheRead: 4, reasoning: 3 },
    },
    simulated: {},
  },
  expect: { kind: 'reply', text: 'Done.', finish: 'stop', usage: { input: 14, output: 8, cacheRead: 4, reasoning: 3 } },
  skip: { simulated: SIMULATED_USAGE_BUCKETS },
};

/** The same case over a streaming request, sharing its upstream checks. */
function streamed(caseDef: ConformanceCase): ConformanceCase {
  return {
    ...caseDef,
    id: `${caseDef.id}-stream`,
    title: `${caseDef.title} (streamed)`,
    request: { ...caseDef.request, stream: true },
    upstreamCheck: caseDef.id,
  };
}

/** The shared cases every (ingress × provider) pair runs. */
export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  {
    id: 'plain-text',
    title: 'plain text with a system prompt',
    request: { system: 'You are terse.', messages: [{ role: 'user', text: 'Say hello.' }], stream: false },
    upstream: {
      script: { kind: 'text', text: 'Hello there, friend.', usage: { input: 11, output: 5 } },
      simulated: { output: 'Hello there, friend.', usage: { input: 11, output: 5 } },
    },
    expect: { kind: 'reply', text: 'Hello there, friend.', finish: 'stop', usage: { input: 11, output: 5 } },
  },
  {
    id: 'streamed-text',
    title: 'streamed text, reassembled, with usage',
    request: { messages: [{ role: 'user', text: 'Say hello slowly.' }], stream: true },
    upstream: {
      script: { kind: 'text', text: ['Hello', ' there,', ' friend.'], usage: { input: 9, output: 3 } },
      simulated: { output: 'Hello there, friend.', usage: { input: 9, output: 3 } },
    },
    expect: { kind: 'reply', text: 'Hello there, friend.', finish: 'stop', usage: { input: 9, output: 3 } },
  },
  TOOL_CALLS_CASE,
  streamed(TOOL_CALLS_CASE),
  TEXT_THEN_TOOLS_CASE,
  streamed(TEXT_THEN_TOOLS_CASE),
  {
    id: 'tool-result-round-trip',
    title: 'a second turn carrying both tool results',
    request: {
      messages: [
        { role: 'user', text: 'Weather and time in Paris?' },
        {
          role: 'assistant',
          toolCalls: [
            { id: 'call_weather_01', name: 'get_weather', args: { city: 'Paris' } },
            { id: 'call_time_02', name: 'get_time', args: { zone: 'Europe/Paris' } },
          ],
        },
        {
          role: 'tool',
          results: [
            { id: 'call_weather_01', name: 'get_weather', content: '18C and sunny' },
            { id: 'call_time_02', name: 'get_time', content: '14:00' },
          ],
          followUp: 'Summarise, please.',
        },
      ],
      tools: TOOLS,
      stream: false,
    },
    ...answersWith('It is 18C at 14:00.'),
  },
  JSON_SCHEMA_CASE,
  streamed(JSON_SCHEMA_CASE),
  {
    id: 'image',
    title: 'an inline base64 image',
    request: {
      messages: [{ role: 'user', text: 'What colour is this pixel?', image: { mediaType: 'image/png', data: PIXEL_PNG } }],
      stream: false,
    },
    ...answersWith('A red pixel.'),
  },
  LENGTH_CASE,
  streamed(LENGTH_CASE),
  USAGE_CASE,
  streamed(USAGE_CASE),
  {
    id: 'upstream-auth',
    title: 'an upstream auth failure is a 502 in the client format, without the key',
    request: { messages: [{ role: 'user', text: 'hi' }], stream: false },
    upstream: {
      scriptFor: {
        openai: {
          kind: 'error',
          status: 401,
          body: { error: { message: `Incorrect API key provided: ${UPSTREAM_KEYS.openai}.`, type: 'invalid_request_error', param: null, code: 'invalid_api_key' } },
        },
        anthropic: {
          kind: 'error',
          status: 401,
          body: { type: 'error', error: { type: 'authentication_error', message: `invalid x-api-key ${UPSTREAM_KEYS.anthropic}` } },
        },
        gemini: {
          kind: 'error',
          status: 400,
          body: {
            error: {
              code: 400,
              message: `API key not valid (${UPSTREAM_KEYS.gemini}). Please pass a valid API key.`,
              status: 'INVALID_ARGUMENT',
              details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'API_KEY_INVALID', domain: 'googleapis.com' }],
            },
          },
        },
      },
      simulated: { fault: { kind: 'error', status: 401 } },
    },
    expect: { kind: 'error', code: 'all_targets_failed' },
  },
  {
    id: 'upstream-rate-limit',
    title: 'an upstream 429 is a 429 in the client format',
    request: { messages: [{ role: 'user', text: 'hi' }], stream: false },
    upstream: {
      script: { kind: 'error', status: 429, headers: { 'retry-after': '7' } },
      scriptFor: { gemini: { kind: 'error', status: 429 } },
      simulated: { fault: { kind: 'rate-limit', status: 429, retry_after_s: 1 } },
    },
    expect: { kind: 'error', code: 'all_targets_rate_limited', retryAfter: true },
  },
  {
    id: 'upstream-overloaded-stream',
    title: 'an upstream overload (503/529) on a streaming request is an HTTP error, not a stream',
    request: { messages: [{ role: 'user', text: 'hi' }], stream: true },
    upstream: {
      script: { kind: 'error', status: 503 },
      scriptFor: { anthropic: { kind: 'error', status: 529 } },
      simulated: { fault: { kind: 'error', status: 503 } },
    },
    expect: { kind: 'error', code: 'all_targets_failed' },
  },
  {
    id: 'upstream-context-length',
    title: 'an upstream context overflow is a 400 invalid request',
    request: { messages: [{ role: 'user', text: 'a very long prompt' }], stream: false },
    upstream: {
      script: { kind: 'error', status: 400 },
      scriptFor: {
        gemini: {
          kind: 'error',
          status: 400,
          body: {
            error: {
              code: 400,
              message: 'The input token count (1200000) exceeds the maximum number of tokens allowed (1048576).',
              status: 'INVALID_ARGUMENT',
            },
          },
        },
      },
      simulated: {},
    },
    expect: { kind: 'error', code: 'context_length_exceeded' },
    skip: { simulated: 'simulated faults have no context-overflow kind' },
  },
  {
    id: 'mid-stream-error',
    title: 'an error event after HTTP 200 surfaces as an SDK error, never a clean end',
    request: { messages: [{ role: 'user', text: 'Tell me a story.' }], stream: true },
    upstream: {
      script: { kind: 'error-after-start', chunksBefore: 2, text: 'alpha beta gamma delta' },
      simulated: { output: 'alpha beta gamma delta', fault: { kind: 'error-after-start', after_tokens: 2 } },
    },
    expect: { kind: 'stream-error', textBefore: 'alpha beta' },
  },
];
