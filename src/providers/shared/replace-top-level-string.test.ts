import { describe, expect, it } from 'vitest';
import { replaceTopLevelString } from './replace-top-level-string.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);
const decode = (bytes: Uint8Array | undefined): string | undefined => (bytes === undefined ? undefined : new TextDecoder().decode(bytes));

/** Replaces `model` in `text`, with the key count `JSON.parse` gives it. */
function replaced(text: string, value = 'gpt-4o'): string | undefined {
  const keys = Object.keys(JSON.parse(text) as object).length;
  return decode(replaceTopLevelString(encode(text), 'model', value, keys));
}

describe('replaceTopLevelString', () => {
  it('replaces the top-level value and keeps every other byte: spacing, order, numbers JSON would round', () => {
    const text = '{ "messages" : [ {"role":"user","content":"the \\"model\\": \\\\ é 🦊", "model": "nested"} ],\n  "model"\t:\t"alias" , "seed": 12345678901234567890, "x": 1.0e2 }';
    expect(replaced(text)).toBe(text.replace('"alias"', '"gpt-4o"'));
  });

  it('writes the new value as a JSON string, escapes and all', () => {
    expect(replaced('{"model":"a","n":1}', 'we\u00efrd "name"\n')).toBe('{"model":"we\u00efrd \\"name\\"\\n","n":1}');
  });

  it('finds a key after strings whose escapes end in backslashes', () => {
    const text = '{"a":"ends in \\\\","b":["\\\\\\"",{"model":"x"}],"model":"alias"}';
    expect(replaced(text)).toBe(text.replace('"alias"', '"gpt-4o"'));
  });

  it('declines a duplicate top-level key, the replaced one or another', () => {
    expect(replaced('{"model":"a","messages":[],"model":"b"}')).toBeUndefined();
    expect(replaced('{"stream":false,"model":"a","stream":true}')).toBeUndefined();
  });

  it('declines a top-level key written with escapes, which could spell the key', () => {
    expect(replaced('{"model":"a","mod\\u0065l":"b"}')).toBeUndefined();
    expect(replaced('{"m\\u006fdel":"a"}')).toBeUndefined();
  });

  it('declines when the key is missing, is not a string, or the text is not an object', () => {
    expect(replaced('{"messages":[{"model":"nested"}]}')).toBeUndefined();
    expect(replaced('{"model":null}')).toBeUndefined();
    expect(replaced('{"model":["a"]}')).toBeUndefined();
    expect(replaced('["model","a"]')).toBeUndefined();
  });
});
