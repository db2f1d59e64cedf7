import { describe, expect, it } from 'vitest';
import type { ProviderType } from '../../core/index.js';
import { tokenizerFamilyFor } from './index.js';

function familyOf(type: ProviderType, model: string): string {
  return tokenizerFamilyFor({ provider: { type }, model }).id;
}

describe('tokenizerFamilyFor', () => {
  it('gives OpenAI models their encoding: o200k for gpt-4o/4.1/5/o-series, cl100k for gpt-4 and gpt-3.5', () => {
    for (const model of ['gpt-4o', 'gpt-4o-mini-2024-07-18', 'gpt-4.1', 'gpt-5', 'o1', 'o3-mini', 'o4-mini', 'chatgpt-4o-latest']) {
      expect(familyOf('openai', model)).toBe('openai-o200k');
    }
    for (const model of ['gpt-4', 'gpt-4-turbo', 'gpt-4-0613', 'gpt-3.5-turbo']) expect(familyOf('openai', model)).toBe('openai-cl100k');
  });

  it('recognises a model by name behind any provider type and vendor prefix', () => {
    expect(familyOf('openai-compatible', 'anthropic/claude-3.5-sonnet')).toBe('claude');
    expect(familyOf('groq', 'openai/gpt-oss-120b')).toBe('openai-o200k');
    expect(familyOf('openai-compatible', 'meta-llama/Llama-3.3-70B-Instruct')).toBe('llama');
    expect(familyOf('openai-compatible', 'Qwen/Qwen2.5-72B-Instruct')).toBe('qwen');
    expect(familyOf('mistral', 'codestral-latest')).toBe('mistral');
  });

  it('falls back to the provider type, then to the generic estimate', () => {
    expect(familyOf('anthropic', 'my-fine-tune')).toBe('claude');
    expect(familyOf('gemini', 'learnlm-2.0-flash')).toBe('gemini');
    expect(familyOf('openai-compatible', 'my-local-model')).toBe('other');
  });

  it('answers the same when asked again, and past the number of names it remembers', () => {
    const first = Array.from({ length: 1100 }, (_, index) => familyOf('anthropic', `claude-${index}`));
    expect(new Set(first)).toEqual(new Set(['claude']));
    expect(familyOf('openai', 'gpt-4o')).toBe('openai-o200k');
    expect(familyOf('openai', 'gpt-4o')).toBe('openai-o200k');
    expect(familyOf('anthropic', 'claude-3')).toBe('claude');
  });
});
