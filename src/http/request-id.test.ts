import { describe, expect, it } from 'vitest';
import { generateRequestId, timeOrderedUuid } from './request-id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('request ids', () => {
  it('are version 7 UUIDs that carry the millisecond time in their first 48 bits', () => {
    const id = timeOrderedUuid(Date.UTC(2026, 11, 5, 20, 0, 0, 123));
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(Date.UTC(2026, 11, 5, 20, 0, 0, 123));
    expect(generateRequestId()).toMatch(UUID_V7);
  });

  it('sort in time order across milliseconds, so the request log appends to its id index', () => {
    const ids = [1_700_000_000_000, 1_700_000_000_001, 1_700_000_000_999, 1_800_000_000_000].map(timeOrderedUuid);
    expect([...ids].sort()).toEqual(ids);
  });

  it('carry times past 2^32 ms and before 1970 clamped to zero in the same 48-bit layout', () => {
    for (const ms of [0, 1, 0xffffff, 0x1000000, 2 ** 32 + 5, 2 ** 47 + 12345, 2 ** 48 - 1]) {
      const id = timeOrderedUuid(ms);
      expect(id, String(ms)).toMatch(UUID_V7);
      expect(parseInt(id.slice(0, 8) + id.slice(9, 13), 16)).toBe(ms);
    }
    expect(timeOrderedUuid(-5).slice(0, 13)).toBe('00000000-0000');
  });

  it('differ within one millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => timeOrderedUuid(1_700_000_000_000)));
    expect(ids.size).toBe(10_000);
  });
});
