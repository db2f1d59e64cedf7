import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { matchPlainChatResponse } from './match-plain-chat-response.js';
import { openAIChatResponseSchema } from '../../wire/openai-chat/openai-chat-response-schemas.js';

const fixture = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../wire/openai-chat/__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

const text = fixture('openai-chat.json');
const withMessage = (message: unknown): unknown => ({ ...text, choices: [{ index: 0, message, finish_reason: 'stop' }] });

const PLAIN: Record<string, unknown> = {
  'the OpenAI sample': text,
  'the OpenAI tool-call sample': fixture('openai-chat-tool-calls.json'),
  'the Mistral tool-call sample': fixture('mistral-tool-calls.json'),
  'DeepSeek reasoning with cache-hit usage': {
    ...withMessage({ role: 'assistant', content: 'ok', reasoning_content: 'because' }) as object,
    usage: { prompt_tokens: 10, completion_tokens: 2, prompt_cache_hit_tokens: 8, completion_tokens_details: { reasoning_tokens: 1 } },
  },
  'null content and refusal': withMessage({ role: 'assistant', content: null, refusal: 'no' }),
  'no usage, no id': { model: 'm', choices: [{ message: { content: 'x' } }] },
  'empty choices': { ...text, choices: [] },
};

const NOT_PLAIN: Record<string, unknown> = {
  'Mistral content chunks': withMessage({ role: 'assistant', content: [{ type: 'text', text: 'x' }] }),
  'a string body': 'oops',
  'an array body': [text],
  'numeric id': { ...text, id: 1 },
  'choices missing': { id: 'x', model: 'm' },
  'choice without message': { ...text, choices: [{ index: 0, finish_reason: 'stop' }] },
  'numeric content': withMessage({ content: 3 }),
  'tool calls not an array': withMessage({ content: null, tool_calls: {} }),
  'negative tool call index': withMessage({ content: null, tool_calls: [{ index: -1, id: 'c', function: { name: 'f', arguments: '{}' } }] }),
  'numeric arguments': withMessage({ content: null, tool_calls: [{ id: 'c', function: { name: 'f', arguments: 1 } }] }),
  'string token count': { ...text, usage: { prompt_tokens: '10' } },
  'array usage details': { ...text, usage: { prompt_tokens: 1, prompt_tokens_details: [] } },
};

describe('matchPlainChatResponse', () => {
  it.each(Object.entries(PLAIN))('accepts %s, and zod agrees', (_name, body) => {
    expect(matchPlainChatResponse(body)).toBe(body);
    const parsed = openAIChatResponseSchema.safeParse(body);
    expect(parsed.success).toBe(true);
    expect(parsed.data).toEqual(body);
  });

  it.each(Object.entries(NOT_PLAIN))('leaves %s to the schema', (_name, body) => {
    expect(matchPlainChatResponse(body)).toBeUndefined();
  });
});
