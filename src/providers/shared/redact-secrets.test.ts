import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets.js';

describe('redactSecrets', () => {
  it.each([
    ['Incorrect API key provided: sk-proj-abc123DEF456. You can find your key at …', 'sk-proj-abc123DEF456'],
    ['invalid x-api-key sk-ant-api03-AbCdEf012345-xyz', 'sk-ant-api03-AbCdEf012345-xyz'],
    ['API key not valid: AIzaSyD0123456789abcdefXYZ. Please pass a valid API key.', 'AIzaSyD0123456789abcdefXYZ'],
    ['Invalid API Key gsk_0123456789abcdefABCD', 'gsk_0123456789abcdefABCD'],
    ['token ya29.a0AfH6SMBx-secret_token rejected', 'ya29.a0AfH6SMBx-secret_token'],
    ['header was Bearer abc.def.ghi', 'abc.def.ghi'],
    ['Your api key: ****-key is invalid', '****-key'],
    ['GET https://host/v1beta/models?key=plainsecret&alt=sse failed', 'plainsecret'],
  ])('removes the credential from %j', (message, secret) => {
    const out = redactSecrets(message);
    expect(out).not.toContain(secret);
    expect(out).toContain('[redacted]');
  });

  it('leaves ordinary text alone and folds white space', () => {
    expect(redactSecrets('Rate limit reached for gpt-4o\n  in organization org-1')).toBe(
      'Rate limit reached for gpt-4o in organization org-1',
    );
  });

  it('bounds long messages to 300 characters', () => {
    const out = redactSecrets('x'.repeat(1000));
    expect(out).toHaveLength(300);
    expect(out.endsWith('…')).toBe(true);
  });
});
