import { describe, expect, it } from 'vitest';
import { EXACT_COUNT_MAX_CHARS, countTextsBounded } from './bounded-text-count.js';
import { textTokenCounter } from './load-encoding.js';

describe('countTextsBounded', () => {
  const countText = textTokenCounter('o200k_base');

  it('counts small prompts exactly', () => {
    const texts = ['hello there', 'general kenobi'];
    expect(countTextsBounded(texts, countText)).toEqual({ tokens: countText(texts[0] as string) + countText(texts[1] as string), sampled: false });
  });

  it('extrapolates large prompts from bounded samples, within a few percent of the exact count', () => {
    const words = ['gateway', 'token', 'stream', 'budget', 'breaker', 'provider', 'route'];
    const text = Array.from({ length: 200_000 }, (_, index) => `${words[index % words.length] as string}${index % 97}`).join(' ');
    expect(text.length).toBeGreaterThan(EXACT_COUNT_MAX_CHARS);
    let tokenizedChars = 0;
    const counting = (piece: string): number => {
      tokenizedChars += piece.length;
      return countText(piece);
    };
    const estimate = countTextsBounded([text.slice(0, 500_000), text.slice(500_000)], counting);
    expect(estimate.sampled).toBe(true);
    expect(tokenizedChars).toBeLessThanOrEqual(64 * 1024);
    const exact = countText(text);
    expect(Math.abs(estimate.tokens - exact) / exact).toBeLessThan(0.05);
  });

  it('counts whole texts with the first counter and samples with the second', () => {
    const whole: string[] = [];
    const samples: string[] = [];
    const small = ['hello there', 'general kenobi'];
    countTextsBounded(small, (text) => (whole.push(text), countText(text)), (text) => (samples.push(text), countText(text)));
    expect([whole, samples]).toEqual([small, []]);
    whole.length = 0;
    const big = 'word '.repeat(EXACT_COUNT_MAX_CHARS / 4);
    countTextsBounded([big], (text) => (whole.push(text), countText(text)), (text) => (samples.push(text), countText(text)));
    expect(whole).toEqual([]);
    expect(samples.length).toBeGreaterThan(0);
  });
});
