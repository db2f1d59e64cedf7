import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../core/index.js';
import type { StateHealth } from '../../ports/state-store.js';
import { startOutageProxy } from '../../../test/support/tcp-outage-proxy.js';
import { untilPasses } from '../../../test/support/until-passes.js';
import { openStateStore } from './open-state-store.js';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.log('Redis state outage test skipped: REDIS_URL is not set (eval "$(../shared/ci/services-up.sh)" starts Redis)');

describe.skipIf(!redisUrl)('Redis state store through an outage', () => {
  it('serves and writes on local state while Redis is cut off, says so, and resynchronises when it returns', async () => {
    const target = new URL(redisUrl ?? 'redis://127.0.0.1:6379');
    const proxy = await startOutageProxy(new URL(`redis://${target.hostname}:${target.port || 6379}`));
    const prefix = `sy-test-${randomUUID()}:`;
    const settings = { prefix, syncIntervalMs: 50 };
    const reports: StateHealth[] = [];
    const cut = await openStateStore({ ...settings, url: `redis://127.0.0.1:${proxy.port}` }, systemClock, (health) => reports.push(health));
    const direct = await openStateStore({ ...settings, url: redisUrl ?? '' }, systemClock);
    const admin = new Redis(redisUrl ?? '');
    try {
      cut.set('breaker:a/m', { state: 'closed' }, { broadcast: true });
      await untilPasses(async () => expect(direct.get('breaker:a/m')).toEqual({ state: 'closed' }));
      expect(cut.health()).toBe('shared');

      proxy.setUp(false);
      await untilPasses(() => expect(cut.health()).toBe('degraded'));
      // Fail-open: reads and writes keep working on this replica's copy; a claim is granted per replica.
      cut.set('breaker:a/m', { state: 'open' }, { broadcast: true });
      expect(cut.get('breaker:a/m')).toEqual({ state: 'open' });
      expect(await cut.claim('probe:a/m', 5000)).toBe(true);
      // Redis restarted empty meanwhile.
      const keys = await admin.keys(`${prefix}*`);
      if (keys.length > 0) await admin.del(...keys);

      proxy.setUp(true);
      await untilPasses(() => expect(cut.health()).toBe('shared'), 5000);
      await untilPasses(async () => expect(direct.get('breaker:a/m')).toEqual({ state: 'open' }), 2000);
      expect(JSON.parse((await admin.get(`${prefix}s:breaker:a/m`)) ?? 'null')).toMatchObject({ v: { state: 'open' } });
      expect(reports).toEqual(['shared', 'degraded', 'shared']);
    } finally {
      await cut.close();
      await direct.close();
      admin.disconnect();
      await proxy.close();
    }
  });

  it('a merge cut off mid-write does not hold back later writes: a broadcast after the outage reaches the other replica', async () => {
    const target = new URL(redisUrl ?? 'redis://127.0.0.1:6379');
    const proxy = await startOutageProxy(new URL(`redis://${target.hostname}:${target.port || 6379}`));
    const settings = { prefix: `sy-test-${randomUUID()}:`, syncIntervalMs: 5 };
    const cut = await openStateStore({ ...settings, url: `redis://127.0.0.1:${proxy.port}` }, systemClock);
    const direct = await openStateStore({ ...settings, url: redisUrl ?? '' }, systemClock);
    let writing = true;
    // Large values keep a MULTI on the wire most of the time, so the cut lands in the middle of one.
    const writer = (async () => {
      for (let i = 0; writing; i++) {
        cut.set(`stats:${i % 50}`, { i, padding: 'x'.repeat(4000) });
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();
    try {
      await new Promise((resolve) => setTimeout(resolve, 80));
      proxy.setUp(false);
      const started = Date.now();
      cut.set('breaker:a/m', { state: 'open' }, { broadcast: true });
      // The write is local at once; it never waits for the network (it is on the request path).
      expect(Date.now() - started).toBeLessThan(100);
      expect(cut.get('breaker:a/m')).toEqual({ state: 'open' });
      await new Promise((resolve) => setTimeout(resolve, 300));
      proxy.setUp(true);
      writing = false;
      await writer;
      await untilPasses(async () => expect(direct.get('breaker:a/m')).toEqual({ state: 'open' }), 6000);
    } finally {
      writing = false;
      await cut.close();
      await direct.close();
      await proxy.close();
    }
  }, 20_000);
});
