import { describe, expect, it } from 'vitest';
import type { CachedResponse } from '../../ports/response-cache.js';
import { manualClock } from '../../../test/support/manual-clock.js';
import { MemoryResponseCache } from './memory-response-cache.js';

const answer = (text: string): CachedResponse => ({
  providerId: 'sim',
  model: 'echo',
  events: [{ type: 'text-delta', blockId: 't', text }, { type: 'finish', reason: { unified: 'stop' } }],
});

describe('MemoryResponseCache', () => {
  it('forgets an entry once its TTL has passed', async () => {
    const clock = manualClock();
    const cache = new MemoryResponseCache({ maxEntries: 10, maxBytes: 10_000 }, clock);
    await cache.set('k', answer('a'), 1000);
    clock.advance(999);
    expect(await cache.get('k')).toEqual(answer('a'));
    clock.advance(1);
    expect(await cache.get('k')).toBeUndefined();
    expect(cache.size()).toEqual({ entries: 0, bytes: 0 });
  });

  it('evicts the least recently used entry beyond max_entries', async () => {
    const cache = new MemoryResponseCache({ maxEntries: 2, maxBytes: 10_000 }, manualClock());
    await cache.set('a', answer('a'), 1000);
    await cache.set('b', answer('b'), 1000);
    await cache.get('a');
    await cache.set('c', answer('c'), 1000);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    expect(await cache.get('c')).toBeDefined();
  });

  it('keeps the summed size under max_bytes and refuses an answer larger than the whole cache', async () => {
    const one = Buffer.byteLength(JSON.stringify(answer('x'.repeat(100))));
    const cache = new MemoryResponseCache({ maxEntries: 100, maxBytes: one * 2 }, manualClock());
    await cache.set('a', answer('x'.repeat(100)), 1000);
    await cache.set('b', answer('y'.repeat(100)), 1000);
    await cache.set('c', answer('z'.repeat(100)), 1000);
    expect(cache.size()).toEqual({ entries: 2, bytes: one * 2 });
    expect(await cache.get('a')).toBeUndefined();
    await cache.set('huge', answer('h'.repeat(one * 2)), 1000);
    expect(await cache.get('huge')).toBeUndefined();
    expect(cache.size().entries).toBe(2);
  });
});
