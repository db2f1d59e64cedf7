import { describe, expect, it } from 'vitest';
import { plainTextDelta } from './plain-text-delta.js';

const chunk = (delta: unknown, extra: Record<string, unknown> = {}): unknown => ({
  id: 'c',
  object: 'chat.completion.chunk',
  choices: [{ index: 0, delta, logprobs: null, finish_reason: null }],
  obfuscation: 'xyz',
  ...extra,
});

describe('plain text delta fast path', () => {
  it('takes a content-only delta', () => {
    expect(plainTextDelta(chunk({ content: 'Hel' }))).toBe('Hel');
    expect(plainTextDelta(chunk({ content: 'lo', role: 'assistant', refusal: null }))).toBe('lo');
  });

  it('leaves every other shape to the schema', () => {
    expect(plainTextDelta(chunk({ content: 'x', tool_calls: [{ index: 0 }] }))).toBeUndefined();
    expect(plainTextDelta(chunk({ reasoning_content: 'thinking' }))).toBeUndefined();
    expect(plainTextDelta(chunk({ content: [{ type: 'text', text: 'x' }] }))).toBeUndefined();
    expect(plainTextDelta(chunk({ content: 'x' }, { usage: { prompt_tokens: 1 } }))).toBeUndefined();
    expect(plainTextDelta({ choices: [{ index: 0, delta: { content: 'x' }, finish_reason: 'stop' }] })).toBeUndefined();
    expect(plainTextDelta({ choices: [] })).toBeUndefined();
    expect(plainTextDelta({ choices: [{ index: 1, delta: { content: 'x' } }] })).toBeUndefined();
    expect(plainTextDelta('text')).toBeUndefined();
  });
});
