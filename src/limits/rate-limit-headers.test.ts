import { describe, expect, it } from 'vitest';
import { rateLimitHeaders, type ConsumedBucket } from './rate-limit-headers.js';

function entry(kind: ConsumedBucket['kind'], limit: number, remaining: number, resetMs: number): ConsumedBucket {
  return { limitText: String(limit), kind, state: { allowed: true, remaining, resetMs } };
}

describe('rateLimitHeaders', () => {
  it('names the tightest request and token buckets, in OpenAI order', () => {
    const headers = rateLimitHeaders([entry('requests', 100, 40, 1_500), entry('tokens', 9_000, 8_000, 0), entry('requests', 10, 3, 59_001), entry('tokens', 50_000, 30_000, 12_000)]);
    expect(Object.entries(headers)).toEqual([
      ['x-ratelimit-limit-requests', '10'],
      ['x-ratelimit-remaining-requests', '3'],
      ['x-ratelimit-reset-requests', '60s'],
      ['x-ratelimit-limit-tokens', '9000'],
      ['x-ratelimit-remaining-tokens', '8000'],
      ['x-ratelimit-reset-tokens', '0s'],
    ]);
  });

  it('gives only the kinds the request was counted in', () => {
    expect(rateLimitHeaders([entry('requests', 5, 4, 2_000)])).toEqual({ 'x-ratelimit-limit-requests': '5', 'x-ratelimit-remaining-requests': '4', 'x-ratelimit-reset-requests': '2s' });
    expect(rateLimitHeaders([entry('tokens', 5, 4, -10)])).toEqual({ 'x-ratelimit-limit-tokens': '5', 'x-ratelimit-remaining-tokens': '4', 'x-ratelimit-reset-tokens': '0s' });
    expect(rateLimitHeaders([])).toEqual({});
  });

  it('writes counts past a billion in full', () => {
    for (const remaining of [1_073_741_823, 1_073_741_824, 99_999_999_123, 100_000_000_000, 1_000_000_007, 9_007_199_254_740_991]) {
      expect(rateLimitHeaders([entry('tokens', 100_000_000_000, remaining, 0)])['x-ratelimit-remaining-tokens']).toBe(String(remaining));
    }
  });

  it('says resets past a minute in whole seconds too', () => {
    expect(rateLimitHeaders([entry('requests', 5, 4, 89_001)])['x-ratelimit-reset-requests']).toBe('90s');
  });
});
