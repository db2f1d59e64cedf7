import { describe, expect, it } from 'vitest';
import { DEFAULT_MAX_OUTPUT_TOKENS, lookupModel } from './index.js';

describe('lookupModel', () => {
  it('finds a model by its exact name', () => {
    expect(lookupModel('openai-chat', 'gpt-4o')?.maxOutputTokens).toBe(16384);
    expect(lookupModel('gemini', 'gemini-2.5-flash')?.contextWindow).toBe(1048576);
  });

  it('resolves a dated Anthropic id to its family', () => {
    expect(lookupModel('anthropic-messages', 'claude-sonnet-4-5-20250929')).toBe(
      lookupModel('anthropic-messages', 'claude-sonnet-4-5'),
    );
    expect(lookupModel('anthropic-messages', 'claude-sonnet-4-20250514')).toBe(
      lookupModel('anthropic-messages', 'claude-sonnet-4'),
    );
  });

  it('prefers the longest known prefix', () => {
    expect(lookupModel('openai-chat', 'gpt-4o-mini-2024-07-18')).toBe(lookupModel('openai-chat', 'gpt-4o-mini'));
    expect(lookupModel('gemini', 'gemini-2.5-flash-lite-preview-06-17')).toBe(
      lookupModel('gemini', 'gemini-2.5-flash-lite'),
    );
  });

  it('matches only at a separator, and strips Gemini models/ prefixes', () => {
    expect(lookupModel('openai-chat', 'gpt-4oz')).toBeUndefined();
    expect(lookupModel('gemini', 'models/gemini-2.0-flash')?.maxOutputTokens).toBe(8192);
  });

  it('keeps formats apart and returns undefined for unknown models', () => {
    expect(lookupModel('anthropic-messages', 'gpt-4o')).toBeUndefined();
    expect(lookupModel('openai-chat', 'my-local-llama')).toBeUndefined();
    expect(DEFAULT_MAX_OUTPUT_TOKENS).toBe(4096);
  });

  it('knows which Anthropic models take native structured output', () => {
    expect(lookupModel('anthropic-messages', 'claude-haiku-4-5-20251001')?.capabilities.nativeStructuredOutput).toBe(true);
    expect(lookupModel('anthropic-messages', 'claude-3-5-haiku-latest')?.capabilities.nativeStructuredOutput).toBe(false);
  });
});
