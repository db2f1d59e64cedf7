import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { checkJsonLimits, DEFAULT_INPUT_LIMITS } from '../../core/index.js';
import { spliceTopLevel } from './splice-top-level.js';

/** Splices `changes` into `text`, with the key count the JSON body parser gives it. */
function spliced(text: string, changes: Record<string, string | undefined>): string | undefined {
  const keys = checkJsonLimits(JSON.parse(text), DEFAULT_INPUT_LIMITS);
  return spliceTopLevel(new TextEncoder().encode(text), new Map(Object.entries(changes)), keys)?.toString('utf8');
}

describe('spliceTopLevel', () => {
  it('replaces a top-level value and keeps every other byte: spacing, order, numbers JSON would round', () => {
    const text = '{ "messages" : [ {"role":"user","content":"the \\"model\\": \\\\ é 🦊", "model": "nested"} ],\n  "model"\t:\t"alias" , "x": [12345678901234567890, 1.0e2] }';
    expect(spliced(text, { model: '"gpt-4o"' })).toBe(text.replace('"alias"', '"gpt-4o"'));
  });

  it('replaces values of every kind, adds members at the end and removes them with their comma', () => {
    const text = '{"a": {"deep": [1, {"b": "}"}]}, "n": 12, "s": "x", "t": true}';
    expect(spliced(text, { a: '1', n: '"twelve"', t: undefined, added: '{"k":[]}' })).toBe('{"a": 1, "n": "twelve", "s": "x","added":{"k":[]}}');
    expect(spliced(text, { a: undefined })).toBe('{"n": 12, "s": "x", "t": true}');
    expect(spliced('{"only":1}', { more: '2' })).toBe('{"only":1,"more":2}');
  });

  it('gives the bytes themselves, uncopied, when nothing changes', () => {
    const bytes = Buffer.from('{"contents":[{"parts":[{"text":"hi"}]}]}');
    const out = spliceTopLevel(bytes, new Map(), 3);
    // Same memory, same place: a copy could land in the same shared pool slab, but not at the same offset.
    expect(out?.buffer).toBe(bytes.buffer);
    expect(out?.byteOffset).toBe(bytes.byteOffset);
    expect(out?.toString('utf8')).toBe(bytes.toString('utf8'));
  });

  it('finds keys after strings whose escapes end in backslashes', () => {
    const text = '{"a":"ends in \\\\","b":["\\\\\\"",{"model":"x"}],"model":"alias"}';
    expect(spliced(text, { model: '"gpt-4o"' })).toBe(text.replace('"alias"', '"gpt-4o"'));
  });

  it('declines a key that appears twice in any object, at the top level or deeper', () => {
    expect(spliced('{"model":"a","messages":[],"model":"b"}', { model: '"c"' })).toBeUndefined();
    expect(spliced('{"stream":false,"model":"a","stream":true}', { model: '"c"' })).toBeUndefined();
    expect(spliced('{"model":"a","messages":[{"role":"user","content":"short","content":"long"}]}', { model: '"c"' })).toBeUndefined();
  });

  it('declines a top-level key written with escapes, which could spell a key to change', () => {
    expect(spliced('{"model":"a","mod\\u0065l":"b"}', { model: '"c"' })).toBeUndefined();
  });

  it('declines what it cannot write: an object left without its members, neighbours removed together, not an object', () => {
    expect(spliced('{"a":1}', { a: undefined, b: '2' })).toBeUndefined();
    expect(spliced('{"a":1,"b":2}', { a: undefined, b: undefined })).toBeUndefined();
    expect(spliced('["model","a"]', { model: '"c"' })).toBeUndefined();
  });
});

describe('spliceTopLevel on any JSON object', () => {
  it('gives text that parses to the object with the changes made', () => {
    const key = fc.constantFrom('model', 'stream_options', 'a', 'max_tokens');
    let made = 0;
    fc.assert(
      fc.property(
        fc.dictionary(fc.string(), fc.jsonValue()),
        fc.dictionary(key, fc.option(fc.jsonValue(), { nil: undefined })),
        fc.constantFrom(0, 1, 2),
        (object, changes, indent) => {
          const text = JSON.stringify(object, null, indent);
          const out = spliced(text, Object.fromEntries(Object.entries(changes).map(([name, value]) => [name, value === undefined ? undefined : JSON.stringify(value)])));
          const expected: Record<string, unknown> = { ...(JSON.parse(text) as Record<string, unknown>) };
          for (const [name, value] of Object.entries(changes)) {
            if (value === undefined) delete expected[name];
            else expected[name] = JSON.parse(JSON.stringify(value)) as unknown;
          }
          // Declining is always allowed (the caller serialises); what it gives must be right.
          if (out === undefined) return;
          made++;
          expect(JSON.parse(out)).toEqual(expected);
        },
      ),
      { numRuns: 2000 },
    );
    // Random keys often need escapes, which it declines; about half the objects are spliced.
    expect(made).toBeGreaterThan(500);
  });
});
