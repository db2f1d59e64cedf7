import { describe, expect, it } from 'vitest';
import type { CanonicalRequest } from '../../core/index.js';
import texts from './__fixtures__/varied-texts.json' with { type: 'json' };
import type { CountTarget } from './index.js';
import { countPromptTokens, promptUpperBound } from './index.js';
import { collectPromptPieces } from './collect-prompt-pieces.js';
import { capAtUpperBound } from './prompt-upper-bound.js';

const TARGETS: CountTarget[] = [
  { provider: { type: 'openai' }, model: 'gpt-4o' },
  { provider: { type: 'openai' }, model: 'gpt-4' },
  { provider: { type: 'anthropic' }, model: 'claude-sonnet-4-5' },
  { provider: { type: 'gemini' }, model: 'gemini-2.5-pro' },
  { provider: { type: 'deepseek' }, model: 'deepseek-chat' },
  { provider: { type: 'qwen' }, model: 'qwen-plus' },
  { provider: { type: 'mistral' }, model: 'mistral-large-latest' },
  { provider: { type: 'groq' }, model: 'llama-3.3-70b-versatile' },
  { provider: { type: 'openai-compatible' }, model: 'some-local-model' },
];

function userText(text: string): CanonicalRequest {
  return { model: 'm', stream: false, messages: [{ role: 'user', content: [{ type: 'text', text }] }] };
}

describe('promptUpperBound', () => {
  it.each(Object.entries(texts))('is at least every family’s count for %s text', (_name, text) => {
    for (const repeated of [text, text.repeat(20)]) {
      const request = userText(repeated);
      for (const target of TARGETS) expect(promptUpperBound(request)).toBeGreaterThanOrEqual(countPromptTokens(request, target).tokens);
    }
  });

  it('holds for a whole conversation with tools, images, tool turns, reasoning and a schema', () => {
    const all = Object.values(texts);
    const request: CanonicalRequest = {
      model: 'm',
      stream: false,
      messages: [
        { role: 'system', content: [{ type: 'text', text: all.join('\n') }] },
        { role: 'user', content: [{ type: 'text', text: 'look' }, { type: 'image', source: { kind: 'url', url: 'https://x/a.png' } }] },
        {
          role: 'assistant',
          content: [
            { type: 'reasoning', text: all.join(' ') },
            { type: 'tool-call', callId: 'c1', name: 'lookup', arguments: JSON.stringify({ q: all[2] }) },
          ],
        },
        { role: 'tool', content: [{ type: 'tool-result', callId: 'c1', content: [{ type: 'text', text: all[3] ?? '' }] }] },
      ],
      tools: [{ name: 'lookup', description: 'Find things 🔎', parameters: { type: 'object', properties: { q: { type: 'string' } } } }],
      responseFormat: { type: 'json-schema', name: 'answer', schema: { type: 'object', properties: { a: { type: 'string' } } } },
    };
    for (const target of TARGETS) expect(promptUpperBound(request)).toBeGreaterThanOrEqual(countPromptTokens(request, target).tokens);
  });

  it('is the UTF-8 byte length plus framing, without running a tokenizer', () => {
    expect(promptUpperBound(userText('héllo'))).toBe(6 + 4 + 3);
    expect(promptUpperBound(userText('日本'))).toBe(6 + 4 + 3);
  });
});

describe('capAtUpperBound', () => {
  it('caps at the byte-length ceiling, also where the ceiling figured from characters alone is lower', () => {
    // 2 characters, 6 bytes: the ceiling is 6 + 4 + 3 = 13, the one from characters 2 + 4 + 3 = 9.
    const pieces = collectPromptPieces(userText('日本'));
    expect(capAtUpperBound(8, pieces)).toBe(8);
    expect(capAtUpperBound(11, pieces)).toBe(11);
    expect(capAtUpperBound(40, pieces)).toBe(13);
  });
});
