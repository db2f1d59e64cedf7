import { describe, expect, it } from 'vitest';
import { rewriteTopLevelStrings as rewriteHead } from './rewrite-top-level-strings.js';

const ids = { id: 'chatcmpl-r1', model: 'my-alias' };

/** The whole rewritten text. */
function rewriteTopLevelStrings(json: string, values: Record<string, string>): string | undefined {
  const head = rewriteHead(json, values);
  return head && head.rewritten + json.slice(head.upstream.length);
}

describe('rewriteTopLevelStrings', () => {
  it('replaces the top-level values and keeps every other byte as it was', () => {
    const text = '{"id":"up-1","object":"chat.completion.chunk","created":1,"model":"gpt-4o","choices":[{"index":0,"delta":{"content":"hi"}}]}';
    const out = rewriteTopLevelStrings(text, ids);
    expect(out).toBe('{"id":"chatcmpl-r1","object":"chat.completion.chunk","created":1,"model":"my-alias","choices":[{"index":0,"delta":{"content":"hi"}}]}');
  });

  it('leaves nested keys of the same name alone, even when they come first', () => {
    const text = '{"choices":[{"message":{"tool_calls":[{"id":"call_1","model":"x"}]}}], "model" : "gpt", "id":"up"}';
    const out = rewriteTopLevelStrings(text, ids)!;
    expect(JSON.parse(out)).toEqual({ choices: [{ message: { tool_calls: [{ id: 'call_1', model: 'x' }] } }], model: 'my-alias', id: 'chatcmpl-r1' });
    expect(out).toContain('"model" : "my-alias"');
  });

  it('is not fooled by keys, quotes and brackets inside string values', () => {
    const text = '{"content":"\\"id\\":\\"no\\" {[","id":"a\\"b","model":"m"}';
    expect(JSON.parse(rewriteTopLevelStrings(text, ids)!)).toEqual({ content: '"id":"no" {[', id: 'chatcmpl-r1', model: 'my-alias' });
  });

  it('ends a string at a quote after an even run of backslashes, and not after an odd one', () => {
    const text = '{"content":"ends with \\\\","note":"\\\\\\"x","id":"a","model":"m"}';
    expect(JSON.parse(rewriteTopLevelStrings(text, ids)!)).toEqual({ content: 'ends with \\', note: '\\"x', id: 'chatcmpl-r1', model: 'my-alias' });
  });

  it('ends the head at the last replaced value, so frames sharing it can reuse the rewrite', () => {
    expect(rewriteHead('{"id":"up","model":"gpt","choices":[]}', ids)).toEqual({ upstream: '{"id":"up","model":"gpt"', rewritten: '{"id":"chatcmpl-r1","model":"my-alias"' });
  });

  it('finds a key written with escapes, and not a key that only starts like a name', () => {
    const text = '{"models":"a","i":"b","mod\\u0065l":"gpt","\\u0069d":"up"}';
    expect(JSON.parse(rewriteTopLevelStrings(text, ids)!)).toEqual({ models: 'a', i: 'b', model: 'my-alias', id: 'chatcmpl-r1' });
  });

  it('escapes the replacement as JSON', () => {
    expect(JSON.parse(rewriteTopLevelStrings('{"id":"x","model":"y"}', { id: 'a"b', model: 'é\n\ud800' })!)).toEqual({ id: 'a"b', model: 'é\n\ud800' });
  });

  it('answers undefined when a key is missing, not a string, or the text is no object', () => {
    expect(rewriteTopLevelStrings('{"id":"x","choices":[]}', ids)).toBeUndefined();
    expect(rewriteTopLevelStrings('{"id":"x","model":null}', ids)).toBeUndefined();
    expect(rewriteTopLevelStrings('[{"id":"x","model":"y"}]', ids)).toBeUndefined();
    expect(rewriteTopLevelStrings('{"id":"x","model":"y', ids)).toBeUndefined();
  });
});
