import { describe, expect, it } from 'vitest';
import { manualClock } from '../../../test/support/manual-clock.js';
import { MemoryStateStore } from './memory-state-store.js';

describe('MemoryStateStore', () => {
  it('expires an entry when the injected clock passes its ttl, without waiting', async () => {
    const clock = manualClock();
    const store = new MemoryStateStore(clock);
    await store.set('breaker:a/m', { state: 'open' }, 1000);
    await store.set('breaker:b/m', { state: 'closed' });
    clock.advance(999);
    expect(await store.get('breaker:a/m')).toEqual({ state: 'open' });
    clock.advance(1);
    expect(await store.get('breaker:a/m')).toBeUndefined();
    expect(await store.entries('breaker:')).toEqual([['breaker:b/m', { state: 'closed' }]]);
  });
});
