import { describe, expect, it } from 'vitest';
import { presentedKey } from './presented-key.js';

/** What the regular expression this replaced, /^Bearer\s+(\S+)\s*$/i, took from an Authorization header. */
function byExpression(value: string): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(value)?.[1];
}

describe('presentedKey', () => {
  it('reads a Bearer token exactly as /^Bearer\\s+(\\S+)\\s*$/i does', () => {
    const values = [
      'Bearer sk-sy-abc',
      'bearer sk-sy-abc',
      'BEARER\tsk-sy-abc  ',
      'Bearer   sk-sy-abc\t',
      'Bearer\u00a0sk-sy-abc',
      'Bearer sk-sy-abc extra',
      'Bearer',
      'Bearer ',
      'Bearersk-sy-abc',
      'Basic dXNlcjpwYXNz',
      'Bearez sk-sy-abc',
      ' Bearer sk-sy-abc',
      'Bearer \u00a0 \u000b tok\u000c',
    ];
    for (const value of values) expect(presentedKey({ authorization: value }, '/v1/chat/completions'), value).toBe(byExpression(value));
  });

  it('falls back to x-api-key, x-goog-api-key and ?key= when the Authorization header holds no Bearer token', () => {
    expect(presentedKey({ authorization: 'Basic x', 'x-api-key': ' sk-a ' }, '/v1/messages')).toBe('sk-a');
    expect(presentedKey({ 'x-goog-api-key': 'g-key' }, '/v1beta/models/m:generateContent')).toBe('g-key');
    expect(presentedKey({}, '/v1beta/models/m:generateContent?alt=sse&key=q-key')).toBe('q-key');
    expect(presentedKey({}, '/v1/chat/completions')).toBeUndefined();
  });
});
