import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../test/support/manual-clock.js';
import { promotedDuring } from '../../../test/support/young-collections.js';
import { MemorySessionAffinity } from './memory-session-affinity.js';

describe('memory session affinity', () => {
  it('keeps a pin until its TTL passes', () => {
    const clock = manualClock();
    const sessions = new MemorySessionAffinity(clock);
    sessions.pin('chat', 's1', 'a/m', 1000);
    clock.advance(999);
    expect(sessions.pinned('chat', 's1')).toBe('a/m');
    expect(sessions.pinned('other-alias', 's1')).toBeUndefined();
    clock.advance(1);
    expect(sessions.pinned('chat', 's1')).toBeUndefined();
    expect(sessions.size()).toBe(0);
  });

  it('drops the least recently used session beyond its bound', () => {
    const sessions = new MemorySessionAffinity(manualClock(), 2);
    sessions.pin('chat', 'old', 'a/m', 60_000);
    sessions.pin('chat', 'used', 'b/m', 60_000);
    expect(sessions.pinned('chat', 'old')).toBe('a/m');
    sessions.pin('chat', 'new', 'c/m', 60_000);
    expect(sessions.pinned('chat', 'used')).toBeUndefined();
    expect(sessions.pinned('chat', 'old')).toBe('a/m');
    expect(sessions.size()).toBe(2);
  });

  it('keeps repeated sessions from promoting their keys and pins through young-generation collections', () => {
    const sessions = new MemorySessionAffinity(manualClock());
    const ids = Array.from({ length: 50 }, (_, index) => `session-${index}`);
    for (const id of ids) sessions.pin('chat', id, 'a/m', 3_600_000);
    const requests = 20_000;
    const promoted = promotedDuring((scavenge) => {
      for (let index = 0; index < requests; index += 1) {
        const id = ids[index % ids.length] ?? '';
        sessions.pinned('chat', id);
        sessions.pin('chat', id, 'a/m', 3_600_000);
        if (index % 200 === 199) scavenge();
      }
    });
    // Deleted and re-inserted on every hit, the pins promoted about 190 bytes per request (3.8 MB here).
    expect(promoted).toBeLessThan(requests * 20);
  });
});
