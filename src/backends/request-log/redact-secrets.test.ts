import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  it('replaces credential fields at any depth and leaves the input untouched', () => {
    const body = {
      headers: { Authorization: 'Bearer abc', 'x-api-key': 'k', 'x-goog-api-key': 'g', accept: 'json' },
      providerOptions: { openai: { api_key: 'sk-x' } },
      max_tokens: 10,
    };
    expect(redactSecrets(body)).toEqual({
      headers: { Authorization: REDACTED, 'x-api-key': REDACTED, 'x-goog-api-key': REDACTED, accept: 'json' },
      providerOptions: { openai: { api_key: REDACTED } },
      max_tokens: 10,
    });
    expect(body.headers.Authorization).toBe('Bearer abc');
  });

  it('masks key-shaped strings inside free text', () => {
    const text = 'my key is sk-proj-abcdefghijklmnop and AIzaSyA1234567890abcdefghijkl, token Bearer eyJhbGciOi.x';
    expect(redactSecrets([text])).toEqual([`my key is ${REDACTED} and ${REDACTED}, token Bearer ${REDACTED}`]);
  });

  it('keeps ordinary values as they are', () => {
    expect(redactSecrets({ messages: [{ role: 'user', content: 'skip the task' }], n: null })).toEqual({
      messages: [{ role: 'user', content: 'skip the task' }],
      n: null,
    });
  });
});
