import { describe, expect, it } from 'vitest';
import { textTokenCounter } from './load-encoding.js';
import { TextCountCache, textKey } from './text-count-cache.js';

function counting(): { calls: string[]; count: (text: string) => number } {
  const calls: string[] = [];
  const exact = textTokenCounter('o200k_base');
  return { calls, count: (text) => (calls.push(text), exact(text)) };
}

describe('TextCountCache', () => {
  it('gives the tokenizer\'s count, and tokenizes a repeated text once', () => {
    const { calls, count } = counting();
    const cache = new TextCountCache(count, 10_000, 1_000);
    const system = 'You are a concise assistant. Answer in one sentence.';
    expect(cache.count(system)).toBe(textTokenCounter('o200k_base')(system));
    // A different string object with the same text (each request parses its own body) is the same entry.
    expect(cache.count([...system].join(''))).toBe(textTokenCounter('o200k_base')(system));
    expect(calls).toEqual([system]);
  });

  it('drops the texts not asked for again first once it holds more than its bound', () => {
    const { calls, count } = counting();
    // Room for two 100-character texts and their entry charges, not three.
    const cache = new TextCountCache(count, 2 * (100 + 64) + 50, 1_000);
    const [a, b, c] = ['a', 'b', 'c'].map((letter) => `${letter} `.repeat(50)) as [string, string, string];
    cache.count(a);
    cache.count(b);
    cache.count(a); // a is asked for again, b is not
    cache.count(c); // pushes out b
    expect(cache.size).toBeLessThanOrEqual(2 * (100 + 64) + 50);
    calls.length = 0;
    cache.count(a);
    cache.count(c);
    expect(calls).toEqual([]);
    cache.count(b);
    expect(calls).toEqual([b]);
  });

  it('counts a text above the per-text bound every time without holding it', () => {
    const { calls, count } = counting();
    const cache = new TextCountCache(count, 10_000, 10);
    const long = 'word '.repeat(20);
    cache.count(long);
    cache.count(long);
    expect(calls).toEqual([long, long]);
    expect(cache.size).toBe(0);
  });

  it('counts each of several texts that share a key as itself, and holds them all', () => {
    const { calls, count } = counting();
    const cache = new TextCountCache(count, 100_000, 10_000);
    // 1,000 characters: past its first 16, the key reads every 62nd character, so the 26th is not read.
    const texts = ['a', 'b', 'c'].map((letter) => `${'x'.repeat(25)}${letter}${'x'.repeat(974)}`);
    expect(new Set(texts.map(textKey)).size).toBe(1);
    for (const text of [...texts, ...texts]) expect(cache.count(text)).toBe(textTokenCounter('o200k_base')(text));
    expect(calls).toEqual(texts);
    expect(cache.size).toBe(3 * (1_000 + 64));
  });

  it('counts a further text under a full key each time without holding it', () => {
    const { calls, count } = counting();
    const cache = new TextCountCache(count, 100_000, 10_000);
    const texts = 'abcdefghi'.split('').map((letter) => `${'x'.repeat(25)}${letter}${'x'.repeat(974)}`);
    for (const text of texts) cache.count(text);
    const ninth = texts[8] as string;
    cache.count(ninth);
    expect(calls).toEqual([...texts, ninth]);
    expect(cache.size).toBe(8 * (1_000 + 64));
  });

  it('keys texts apart that differ in length, or at their start or end', () => {
    const turn = 'The function reads the configuration file and validates it. '.repeat(40);
    expect(textKey(`${turn}turn 1`)).not.toBe(textKey(`${turn}turn 2`));
    expect(textKey(`{"name":"tool_1",${turn}`)).not.toBe(textKey(`{"name":"tool_2",${turn}`));
    expect(textKey(turn)).not.toBe(textKey(`${turn} `));
    expect(textKey('')).toBe(textKey(''));
    expect(Number.isInteger(textKey(turn)) && textKey(turn) >= 0 && textKey(turn) < 2 ** 30).toBe(true);
  });
});
