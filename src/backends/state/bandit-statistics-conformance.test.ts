import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/index.js';
import type { BanditStatistics } from '../../ports/bandit-statistics.js';
import { observe, type BanditArms } from '../../routing/bandit-evidence.js';
import { startOutageProxy } from '../../../test/support/tcp-outage-proxy.js';
import { untilPasses } from '../../../test/support/until-passes.js';
import { MemoryStateStore } from './memory-state-store.js';
import { RedisBanditStatistics } from './redis-bandit-statistics.js';
import { StateBanditStatistics } from './state-bandit-statistics.js';

/** Bandit statistics as a replica holds them, refreshed by hand (the timer's job in the gateway). */
interface Replica {
  bandit: BanditStatistics;
  refresh(): Promise<void>;
}

/** One backend: `replicas(n)` gives n replicas sharing evidence; for memory one process is every replica there is. */
interface Backend {
  name: string;
  skip?: string;
  /** `urls`: where each replica reaches Redis (default REDIS_URL for all). */
  replicas(count: number, urls?: string[]): Promise<Replica[]>;
}

const redisUrl = process.env.REDIS_URL;
const clients: Redis[] = [];

const backends: Backend[] = [
  {
    name: 'memory',
    async replicas(count) {
      const bandit = new StateBanditStatistics(new MemoryStateStore(systemClock));
      return Array.from({ length: count }, () => ({ bandit, refresh: () => bandit.refresh() }));
    },
  },
  {
    name: 'redis',
    ...(redisUrl ? {} : { skip: 'REDIS_URL is not set (eval "$(../shared/ci/services-up.sh)" starts Redis)' }),
    async replicas(count, urls) {
      const prefix = `sy-test-${randomUUID()}:`;
      return Promise.all(
        Array.from({ length: count }, async (_, i) => {
          // As the state store's command connection: commands fail at once while Redis is away, and reconnect.
          const redis = new Redis(urls?.[i] ?? redisUrl ?? '', { enableOfflineQueue: false, maxRetriesPerRequest: 1, commandTimeout: 500, retryStrategy: () => 50, lazyConnect: true });
          redis.on('error', () => undefined);
          clients.push(redis);
          await redis.connect();
          const bandit = new RedisBanditStatistics({ redis, prefix });
          return { bandit, refresh: () => bandit.refresh() };
        }),
      );
    },
  },
];

/** The evidence one process would hold after these observations of one (alias, task class), in this order. */
function inOneProcess(observations: Array<[string, number]>, halfLife: number): BanditArms {
  return observations.reduce<BanditArms>((arms, [arm, score]) => observe(arms, arm, { score, latencyMs: 100 }, halfLife), {});
}

afterEach(() => {
  for (const client of clients.splice(0)) client.disconnect();
});

for (const backend of backends) {
  if (backend.skip) console.log(`bandit statistics conformance: ${backend.name} skipped: ${backend.skip}`);
  describe.skipIf(backend.skip !== undefined)(`BanditStatistics conformance: ${backend.name}`, () => {
    it('reads back what it learned, decayed as one process decays it, and lists it', async () => {
      const [one] = (await backend.replicas(1)) as [Replica];
      await one.bandit.observe('smart', 'code', 'oai/gpt', { score: 1, costUsd: 0.01, latencyMs: 100 }, 4);
      await one.bandit.observe('smart', 'code', 'oai/gpt', { score: 0, latencyMs: 100 }, 4);
      await one.refresh();
      const expected = observe(observe({}, 'oai/gpt', { score: 1, costUsd: 0.01, latencyMs: 100 }, 4), 'oai/gpt', { score: 0, latencyMs: 100 }, 4);
      expect(one.bandit.read('smart', 'code')['oai/gpt']).toEqual(expected['oai/gpt']);
      expect(one.bandit.read('smart', 'chat')).toEqual({});
      expect(one.bandit.all()).toEqual([{ alias: 'smart', taskClass: 'code', arms: expected }]);
    });

    it('feedback given through three replicas at once all counts, on every replica after its refresh', async () => {
      const replicas = await backend.replicas(3);
      await Promise.all(
        replicas.flatMap((replica, r) => [replica.bandit.observe('smart', '*', 'oai/gpt', { score: r === 0 ? 1 : 0, latencyMs: 100 }, 1000), replica.bandit.observe('smart', '*', 'ant/claude', { score: 1, latencyMs: 100 }, 1000)]),
      );
      await Promise.all(replicas.map((replica) => replica.refresh()));
      for (const replica of replicas) {
        const arms = replica.bandit.read('smart', '*');
        expect(arms['oai/gpt']?.latencyCount).toBeCloseTo(inOneProcess([['a', 1], ['a', 0], ['a', 0]], 1000).a?.latencyCount ?? 0, 9);
        expect((arms['oai/gpt']?.successes ?? 0) + (arms['oai/gpt']?.failures ?? 0)).toBeCloseTo(arms['oai/gpt']?.latencyCount ?? 0, 9);
        expect(arms['ant/claude']?.successes).toBeCloseTo(inOneProcess([['a', 1], ['a', 1], ['a', 1]], 1000).a?.successes ?? 0, 9);
      }
    });
  });
}

describe.skipIf(!redisUrl)('BanditStatistics (Redis) through an outage', () => {
  it('keeps feedback given while Redis is away, applies it exactly once when Redis returns, and shares it', async () => {
    const target = new URL(redisUrl ?? '');
    const proxy = await startOutageProxy(new URL(`redis://${target.hostname}:${target.port || 6379}`));
    try {
      const [cut, direct] = (await (backends[1] as Backend).replicas(2, [`redis://127.0.0.1:${proxy.port}`, redisUrl ?? ''])) as [Replica, Replica];
      const latencyCount = (replica: Replica): number | undefined => replica.bandit.read('smart', '*')['oai/gpt']?.latencyCount;
      await cut.bandit.observe('smart', '*', 'oai/gpt', { score: 1, latencyMs: 100 }, 1000);
      proxy.setUp(false);
      await cut.bandit.observe('smart', '*', 'oai/gpt', { score: 1, latencyMs: 100 }, 1000);
      await cut.refresh();
      await direct.refresh();
      const once = inOneProcess([['a', 1]], 1000).a?.latencyCount;
      const twice = inOneProcess([['a', 1], ['a', 1]], 1000).a?.latencyCount ?? 0;
      // This replica routes on what it learned meanwhile; the fleet has not heard of it yet.
      expect(latencyCount(cut)).toBeCloseTo(twice, 9);
      expect(latencyCount(direct)).toBe(once);
      proxy.setUp(true);
      await untilPasses(async () => {
        await cut.refresh();
        await direct.refresh();
        expect(latencyCount(direct)).toBeCloseTo(twice, 9);
      }, 5000);
      // Further refreshes apply nothing twice.
      await cut.refresh();
      await direct.refresh();
      expect(latencyCount(direct)).toBeCloseTo(twice, 9);
      expect(latencyCount(cut)).toBeCloseTo(twice, 9);
    } finally {
      proxy.setUp(false);
      await proxy.close();
    }
  });
});
