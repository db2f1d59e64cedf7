import { describe, expect, it } from 'vitest';
import { SecretScrubber } from './secret-scrubber.js';

const SECRET = 'sk-live-0123456789abcdef';

describe('SecretScrubber.scrubDeep', () => {
  const scrubber = new SecretScrubber([SECRET]);

  it('returns a value without secrets as it is, without copying it', () => {
    const record = { id: 'req-1', attempts: [{ provider: 'up', message: 'Overloaded' }], usage: { inputTokens: 3 }, warnings: [] };
    const scrubbed = scrubber.scrubDeep(record);
    expect(scrubbed).toBe(record);
  });

  it('copies only the path to a scrubbed string and leaves the original untouched', () => {
    const usage = { inputTokens: 3 };
    const first = { provider: 'up', message: 'fine' };
    const record = { id: 'req-1', attempts: [first, { provider: 'up', message: `invalid api key ${SECRET}` }], usage, tail: 'x' };
    const scrubbed = scrubber.scrubDeep(record);
    expect(scrubbed).toEqual({ id: 'req-1', attempts: [first, { provider: 'up', message: 'invalid api key [redacted]' }], usage, tail: 'x' });
    expect(Object.keys(scrubbed)).toEqual(['id', 'attempts', 'usage', 'tail']);
    expect(scrubbed.usage).toBe(usage);
    expect(scrubbed.attempts[0]).toBe(first);
    expect(record.attempts[1]?.message).toBe(`invalid api key ${SECRET}`);
  });

  it('scrubs keys, and the JSON-escaped form of a secret', () => {
    const quoted = new SecretScrubber(['pass"word-1234']);
    expect(quoted.scrubDeep({ [`${SECRET}`]: 1, note: 'pass\\"word-1234' })).toEqual({ [`${SECRET}`]: 1, note: '[redacted]' });
    expect(scrubber.scrubDeep({ [SECRET]: 1 })).toEqual({ '[redacted]': 1 });
  });

  it('still finds the shortest secret when the set holds longer ones, in a text exactly its length', () => {
    const mixed = new SecretScrubber([SECRET, 'tok-1234']);
    expect(mixed.scrubDeep({ a: 'tok-1234', b: 'tok-123', c: `x${SECRET}` })).toEqual({ a: '[redacted]', b: 'tok-123', c: 'x[redacted]' });
    expect(mixed.scrub('tok-1234')).toBe('[redacted]');
  });

  it('cuts values nested deeper than the walk bound', () => {
    let deep: unknown = 'leaf';
    for (let i = 0; i < 300; i++) deep = [deep];
    const scrubbed = scrubber.scrubDeep({ deep });
    let cursor: unknown = scrubbed.deep;
    let depth = 1;
    while (Array.isArray(cursor)) {
      cursor = cursor[0];
      depth += 1;
    }
    expect(cursor).toBe('[redacted]');
    expect(depth).toBe(256);
  });
});
