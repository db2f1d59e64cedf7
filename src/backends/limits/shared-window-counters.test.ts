import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock, type Clock } from '../../core/index.js';
import type { IntervalTimer } from '../../ports/interval-timer.js';
import { manualClock } from '../../../test/support/manual-clock.js';
import { startOutageProxy } from '../../../test/support/tcp-outage-proxy.js';
import { untilPasses } from '../../../test/support/until-passes.js';
import { SharedWindowCounters } from './shared-window-counters.js';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.log('shared window counter tests skipped: REDIS_URL is not set (eval "$(../shared/ci/services-up.sh)" starts Redis)');

/** The tests sync by hand. */
const manualTimer: IntervalTimer = { every: () => () => undefined };
const bucket = { id: 'key:k1:rpm', limit: 5, windowMs: 60_000 };
const clients: Redis[] = [];

function replica(prefix: string, options: { url?: string; failClosed?: boolean; clock?: Clock; reconnect?: boolean } = {}): SharedWindowCounters {
  const redis = new Redis(options.url ?? redisUrl ?? '', {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    lazyConnect: true,
    retryStrategy: options.reconnect ? () => 50 : () => null,
    // As the state store's connection: a command cut off by an outage fails instead of hanging.
    commandTimeout: 500,
  });
  redis.on('error', () => undefined);
  clients.push(redis);
  const clock = options.clock ?? systemClock;
  return new SharedWindowCounters({ redis, prefix, clock, timer: manualTimer, syncIntervalMs: 50, failClosed: () => options.failClosed ?? false });
}

afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

describe.skipIf(!redisUrl)('shared window counters (Redis)', () => {
  it('answers from memory and shares one window across replicas once they sync', async () => {
    const prefix = `sy-test-${randomUUID()}:`;
    const one = replica(prefix);
    const two = replica(prefix);
    await Promise.all(clients.map((client) => client.connect()));
    for (let i = 0; i < 3; i++) expect(one.consume(bucket, 1).allowed).toBe(true);
    // Two has not synced yet: it decides on its own count (the documented bound), then learns the fleet's.
    expect(two.consume(bucket, 1)).toMatchObject({ allowed: true, remaining: 4 });
    await one.sync();
    await two.sync();
    expect(two.peek(bucket)).toMatchObject({ allowed: true, remaining: 1 });
    expect(two.consume(bucket, 1).allowed).toBe(true);
    expect(two.consume(bucket, 1)).toMatchObject({ allowed: false, remaining: 0 });
    await two.sync();
    await one.sync();
    expect(one.consume(bucket, 1)).toMatchObject({ allowed: false, remaining: 0 });
    // A settlement that gives points back frees them for the whole fleet.
    two.adjust(bucket, -2);
    await two.sync();
    await one.sync();
    expect(one.consume(bucket, 2)).toMatchObject({ allowed: true, remaining: 0 });
  });

  it('while Redis is unreachable counts on this replica alone, or fails when limits.on_backend_error is closed', async () => {
    const prefix = `sy-test-${randomUUID()}:`;
    const open = replica(prefix, { url: 'redis://127.0.0.1:1' });
    const closed = replica(prefix, { url: 'redis://127.0.0.1:1', failClosed: true });
    await Promise.all([open.sync(), closed.sync()]);
    for (let i = 0; i < 5; i++) expect(open.consume(bucket, 1).allowed).toBe(true);
    expect(open.consume(bucket, 1).allowed).toBe(false);
    // A sync found Redis unreachable even with nothing counted yet: closed refuses from the first request.
    expect(() => closed.consume(bucket, 1)).toThrow(/Redis is unreachable/);
  });

  it('with limits.on_backend_error closed, counts again once Redis returns, even when every window ended during the outage', async () => {
    const target = new URL(redisUrl ?? '');
    const proxy = await startOutageProxy(new URL(`redis://${target.hostname}:${target.port || 6379}`));
    const clock = manualClock();
    const closed = replica(`sy-test-${randomUUID()}:`, { url: `redis://127.0.0.1:${proxy.port}`, failClosed: true, clock, reconnect: true });
    try {
      await Promise.all(clients.map((client) => client.connect()));
      expect(closed.consume(bucket, 1).allowed).toBe(true);
      await closed.sync();
      proxy.setUp(false);
      await untilPasses(async () => {
        await closed.sync();
        expect(() => closed.consume(bucket, 1)).toThrow(/Redis is unreachable/);
      });
      // The outage outlasts the window: the idle bucket is dropped, so no push is left to find Redis back.
      clock.advance(bucket.windowMs);
      await closed.sync();
      proxy.setUp(true);
      await untilPasses(async () => {
        await closed.sync();
        expect(closed.consume(bucket, 1).allowed).toBe(true);
      }, 5000);
    } finally {
      proxy.setUp(false);
      await proxy.close();
    }
  });
});
