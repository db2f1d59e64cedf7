import { describe, expect, it } from 'vitest';
import { matchPlainChatRequest } from './match-plain-chat-request.js';
import { openAIChatRequestSchema } from '../../wire/openai-chat/openai-chat-request-schema.js';

const base = { model: 'gpt-4o-mini', messages: [{ role: 'user', content: 'Hi' }] };

const PLAIN: Record<string, unknown> = {
  minimal: base,
  'every scalar setting': {
    ...base,
    messages: [
      { role: 'system', content: 'Be brief.' },
      { role: 'developer', content: 'Answer in English.' },
      { role: 'user', content: 'Hi', name: 'ada' },
      { role: 'assistant', content: 'Hello', reasoning_content: 'greeting' },
      { role: 'user', content: 'More' },
    ],
    max_completion_tokens: 64,
    max_tokens: 32,
    n: 1,
    temperature: 2,
    top_p: 0,
    frequency_penalty: -2,
    presence_penalty: 2,
    seed: -7,
    stop: ['a', 'b', 'c', 'd'],
    user: 'u-1',
    metadata: { team: 'search' },
    stream: true,
    stream_options: { include_usage: true },
    service_tier: 'flex',
  },
  'nulls meaning not sent': { ...base, tools: null, temperature: null, stop: null, stream_options: null, reasoning_effort: null },
  'a single stop string': { ...base, stop: 'END' },
};

const NOT_PLAIN: Record<string, unknown> = {
  'not an object': [base],
  'empty model': { ...base, model: '' },
  'numeric model': { ...base, model: 4 },
  'no messages': { model: 'm', messages: [] },
  'messages not an array': { model: 'm', messages: { role: 'user', content: 'x' } },
  'unknown role': { ...base, messages: [{ role: 'robot', content: 'x' }] },
  'tool role': { ...base, messages: [{ role: 'tool', tool_call_id: 'c', content: 'x' }] },
  'content parts': { ...base, messages: [{ role: 'user', content: [{ type: 'text', text: 'x' }] }] },
  'null user content': { ...base, messages: [{ role: 'user', content: null }] },
  'assistant tool calls': { ...base, messages: [{ role: 'assistant', content: 'x', tool_calls: [] }] },
  'assistant numeric reasoning': { ...base, messages: [{ role: 'assistant', content: 'x', reasoning_content: 1 }] },
  tools: { ...base, tools: [] },
  'response format': { ...base, response_format: { type: 'json_object' } },
  'reasoning effort': { ...base, reasoning_effort: 'low' },
  'parallel tool calls': { ...base, parallel_tool_calls: false },
  'zero max tokens': { ...base, max_tokens: 0 },
  'fractional max tokens': { ...base, max_completion_tokens: 1.5 },
  'string max tokens': { ...base, max_tokens: '10' },
  'n of zero': { ...base, n: 0 },
  'temperature above 2': { ...base, temperature: 2.1 },
  'negative top_p': { ...base, top_p: -0.1 },
  'penalty below -2': { ...base, frequency_penalty: -2.5 },
  'fractional seed': { ...base, seed: 1.5 },
  'five stop strings': { ...base, stop: ['a', 'b', 'c', 'd', 'e'] },
  'numeric stop': { ...base, stop: [1] },
  'numeric user': { ...base, user: 1 },
  'numeric metadata value': { ...base, metadata: { n: 1 } },
  'string stream': { ...base, stream: 'yes' },
  'string include_usage': { ...base, stream_options: { include_usage: 'yes' } },
  'array stream_options': { ...base, stream_options: [] },
};

describe('matchPlainChatRequest', () => {
  it.each(Object.entries(PLAIN))('accepts %s, and zod agrees field for field', (_name, body) => {
    const matched = matchPlainChatRequest(body);
    expect(matched).toBe(body);
    const parsed = openAIChatRequestSchema.safeParse(body);
    expect(parsed.success).toBe(true);
    // zod drops keys it does not know; everything it keeps must be exactly what the fast path hands on.
    expect(body).toMatchObject(parsed.data as object);
  });

  it.each(Object.entries(NOT_PLAIN))('leaves %s to the schema', (_name, body) => {
    expect(matchPlainChatRequest(body)).toBeUndefined();
  });
});
