import { describe, expect, it } from 'vitest';
import { isModelGlob, matchModelGlob } from './model-glob.js';

describe('model glob aliases', () => {
  it('recognises patterns by * or ?', () => {
    expect(isModelGlob('claude-*')).toBe(true);
    expect(isModelGlob('gpt-5?')).toBe(true);
    expect(isModelGlob('smart')).toBe(false);
  });

  it('matches a built-in agent model name and treats other characters literally', () => {
    expect(matchModelGlob('claude-opus-5-5', ['smart', 'claude-*'])).toBe('claude-*');
    expect(matchModelGlob('gpt-5.1-codex', ['gpt-5*'])).toBe('gpt-5*');
    expect(matchModelGlob('gpt-4o', ['gpt-5*'])).toBeUndefined();
    expect(matchModelGlob('gptx5', ['gpt.5*'])).toBeUndefined();
  });

  it('prefers the most specific pattern, then the first listed', () => {
    expect(matchModelGlob('claude-haiku-4-5', ['claude-*', 'claude-haiku-*'])).toBe('claude-haiku-*');
    expect(matchModelGlob('claude-x', ['claude-?', 'claude-*'])).toBe('claude-?');
    expect(matchModelGlob('ab', ['a*', '*b'])).toBe('a*');
  });
});
