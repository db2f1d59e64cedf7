import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../core/index.js';
import type { StateStore } from '../../ports/state-store.js';
import { manualClock } from '../../../test/support/manual-clock.js';
import { untilPasses } from '../../../test/support/until-passes.js';
import { MemoryStateStore } from './memory-state-store.js';
import { openStateStore } from './open-state-store.js';

/**
 * One backend under test: `replicas(n)` gives n stores that share state as n gateway processes would. For memory,
 * one replica's state is everything, so every "replica" is the same store.
 */
interface Backend {
  name: string;
  skip?: string;
  replicas(count: number, clock: Clock, namespace: string): Promise<StateStore[]>;
}

const redisUrl = process.env.REDIS_URL;
const backends: Backend[] = [
  {
    name: 'memory',
    async replicas(count, clock) {
      const store = new MemoryStateStore(clock);
      return Array.from({ length: count }, () => store);
    },
  },
  {
    name: 'redis',
    ...(redisUrl ? {} : { skip: 'REDIS_URL is not set (eval "$(../shared/ci/services-up.sh)" starts Redis)' }),
    async replicas(count, clock, namespace) {
      const settings = { url: redisUrl ?? '', prefix: `sy-test-${namespace}:`, syncIntervalMs: 50 };
      return Promise.all(Array.from({ length: count }, () => openStateStore(settings, clock)));
    },
  },
];

for (const backend of backends) {
  if (backend.skip) console.log(`state store conformance: ${backend.name} skipped: ${backend.skip}`);
  describe.skipIf(backend.skip !== undefined)(`StateStore conformance: ${backend.name}`, () => {
    const open: StateStore[] = [];
    let namespace = randomUUID();
    const replicas = async (count: number, clock: Clock = systemClock): Promise<StateStore[]> => {
      const stores = await backend.replicas(count, clock, namespace);
      open.push(...stores);
      return stores;
    };
    afterEach(async () => {
      namespace = randomUUID();
      await Promise.all([...new Set(open.splice(0))].map((store) => store.close()));
    });

    it('reads back what it wrote at once, without a promise, lists entries by prefix, and reports whether it is shared', async () => {
      const [store] = await replicas(1);
      store!.set('breaker:a/m', { state: 'open' });
      store!.set('breaker:b/m', { state: 'closed' });
      store!.set('other:x', 1);
      expect(store!.get('breaker:a/m')).toEqual({ state: 'open' });
      expect(store!.get('missing')).toBeUndefined();
      expect((await store!.entries('breaker:')).sort()).toEqual([
        ['breaker:a/m', { state: 'open' }],
        ['breaker:b/m', { state: 'closed' }],
      ]);
      expect(store!.health()).toBe(backend.name === 'memory' ? 'local' : 'shared');
    });

    it('forgets an entry once the injected clock passes its ttl, on every replica, without waiting', async () => {
      const clock = manualClock();
      const [one, two] = await replicas(2, clock);
      one!.set('breaker:a/m', { state: 'open' }, { ttlMs: 1000, broadcast: true });
      await untilPasses(async () => expect(two!.get('breaker:a/m')).toEqual({ state: 'open' }));
      clock.advance(999);
      expect(two!.get('breaker:a/m')).toEqual({ state: 'open' });
      clock.advance(1);
      expect(one!.get('breaker:a/m')).toBeUndefined();
      expect(two!.get('breaker:a/m')).toBeUndefined();
    });

    it('a broadcast write reaches another replica within a second', async () => {
      const [one, two] = await replicas(2);
      const sent = Date.now();
      one!.set('breaker:oai/gpt', { state: 'open' }, { broadcast: true });
      await untilPasses(async () => expect(two!.get('breaker:oai/gpt')).toEqual({ state: 'open' }), 1000);
      expect(Date.now() - sent).toBeLessThan(1000);
    });

    it('an ordinary write reaches another replica with the next merge, and a replica started later loads it', async () => {
      const [one, two] = await replicas(2);
      one!.set('stats:oai/gpt', { samples: 3 });
      await untilPasses(async () => expect(two!.get('stats:oai/gpt')).toEqual({ samples: 3 }), 1000);
      const [late] = await replicas(1);
      if (backend.name === 'redis') expect(late).not.toBe(one);
      // The memory backend's "later replica" is a new process: it starts empty; a shared one starts with the state.
      expect(late!.get('stats:oai/gpt')).toEqual(backend.name === 'memory' ? undefined : { samples: 3 });
    });

    it('a claim is granted to exactly one of the replicas racing for it', async () => {
      const stores = await replicas(3);
      const granted = await Promise.all(stores.flatMap((store) => [store.claim('probe:oai/gpt', 5000), store.claim('probe:oai/gpt', 5000)]));
      expect(granted.filter(Boolean)).toHaveLength(1);
    });
  });
}
