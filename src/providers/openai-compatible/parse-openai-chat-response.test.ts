import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseOpenAIChatResponse } from './parse-openai-chat-response.js';

function fixtureJson(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../wire/openai-chat/__fixtures__/${name}`, import.meta.url), 'utf8'));
}

describe('parseOpenAIChatResponse', () => {
  it('translates a recorded OpenAI text completion with disjoint usage buckets', () => {
    const response = parseOpenAIChatResponse(fixtureJson('openai-chat.json'), 'oai', 'gpt-4.1-nano');
    expect(response).toMatchObject({
      id: 'chatcmpl-Cw7VFYxCPRl6sK5eNhLP9dQW3KwCS',
      model: 'gpt-4.1-nano-2025-04-14',
      content: [{ type: 'text', text: '2 + 2 equals 4.' }],
      finishReason: { unified: 'stop', raw: 'stop' },
      usage: { inputTokens: 14, cacheReadTokens: 0, outputTokens: 8, reasoningTokens: 0 },
      warnings: [],
    });
    expect(response.usage.raw).toMatchObject({ total_tokens: 22 });
  });

  it('translates two parallel tool calls with content null', () => {
    const response = parseOpenAIChatResponse(fixtureJson('openai-chat-tool-calls.json'), 'oai', 'gpt-4.1-nano');
    expect(response.content).toEqual([
      {
        type: 'tool-call',
        callId: 'call_4vdw7IhqK4BaPeDpUqhAJrH4',
        name: 'weather',
        arguments: '{"latitude": "52.5200", "longitude": "13.4050"}',
      },
      { type: 'tool-call', callId: 'call_UZxiYeSq6gFg9tAHAdSmNHPQ', name: 'best_language_to_learn', arguments: '{}' },
    ]);
    expect(response.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_calls' });
  });

  it('translates Mistral tool calls with empty content and no completion details', () => {
    const response = parseOpenAIChatResponse(fixtureJson('mistral-tool-calls.json'), 'mis', 'mistral-small-latest');
    expect(response.content.map((part) => part.type)).toEqual(['tool-call', 'tool-call']);
    expect(response.usage).toMatchObject({ inputTokens: 227, cacheReadTokens: 0, outputTokens: 36 });
    expect(response.usage.reasoningTokens).toBeUndefined();
  });

  it('keeps DeepSeek reasoning_content as a reasoning part before the answer', () => {
    const response = parseOpenAIChatResponse(
      {
        id: 'd',
        model: 'deepseek-reasoner',
        choices: [{ index: 0, message: { role: 'assistant', content: '42', reasoning_content: 'Compute.' }, finish_reason: 'stop' }],
      },
      'ds',
      'deepseek-reasoner',
    );
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'Compute.' },
      { type: 'text', text: '42' },
    ]);
    expect(response.usage).toEqual({});
  });

  it('keeps a refusal as text and reports content-filter', () => {
    const response = parseOpenAIChatResponse(
      { choices: [{ message: { role: 'assistant', content: null, refusal: 'No.' }, finish_reason: 'stop' }] },
      'oai',
      'gpt-4o',
    );
    expect(response.content).toEqual([{ type: 'text', text: 'No.' }]);
    expect(response.finishReason).toEqual({ unified: 'content-filter', raw: 'stop' });
    expect(response.model).toBe('gpt-4o');
  });

  it.each([
    ['insufficient_system_resource', 'error'],
    ['model_length', 'length'],
    ['content_filter', 'content-filter'],
    ['function_call', 'tool-calls'],
    ['error', 'error'],
    ['something_new', 'other'],
  ])('maps finish_reason %s to %s', (raw, unified) => {
    const response = parseOpenAIChatResponse({ choices: [{ message: { content: 'x' }, finish_reason: raw }] }, 'p', 'm');
    expect(response.finishReason).toEqual({ unified, raw });
  });

  it('rejects a body that does not fit, naming the field path', () => {
    expect(() => parseOpenAIChatResponse({ choices: [{ message: { content: 5 } }] }, 'oai', 'm')).toThrow(
      expect.objectContaining({ code: 'upstream_malformed_response', message: expect.stringContaining('choices[0].message.content') }),
    );
    expect(() => parseOpenAIChatResponse({ choices: [] }, 'oai', 'm')).toThrow(
      expect.objectContaining({ code: 'upstream_malformed_response' }),
    );
  });
});
