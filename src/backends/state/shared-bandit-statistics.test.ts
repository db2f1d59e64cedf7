import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../core/index.js';
import type { StateStore } from '../../ports/state-store.js';
import { untilPasses } from '../../../test/support/until-passes.js';
import { openStateStore } from './open-state-store.js';
import { StateBanditStatistics } from './state-bandit-statistics.js';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl) console.log('shared bandit statistics test skipped: REDIS_URL is not set (eval "$(../shared/ci/services-up.sh)" starts Redis)');

const stores: StateStore[] = [];
afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

describe.skipIf(!redisUrl)('bandit evidence across replicas (Redis)', () => {
  it('evidence learned through one replica reaches the other\u2019s routing on its refresh timer, which stops on request', async () => {
    const settings = { url: redisUrl ?? '', prefix: `sy-test-${randomUUID()}:`, syncIntervalMs: 20 };
    const [storeOne, storeTwo] = await Promise.all([openStateStore(settings, systemClock), openStateStore(settings, systemClock)]);
    stores.push(storeOne, storeTwo);
    const one = new StateBanditStatistics(storeOne);
    const two = new StateBanditStatistics(storeTwo);
    const ticks: Array<() => void> = [];
    const stop = two.refreshEvery({ every: (_ms, task) => (ticks.push(task), () => ticks.splice(0)) }, 1000);
    await one.observe('smart', 'code', 'oai/gpt', { score: 1, costUsd: 0.01 }, 50);
    expect(two.read('smart', 'code')).toEqual({});
    await untilPasses(async () => {
      for (const tick of ticks) tick();
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(two.read('smart', 'code')['oai/gpt']).toMatchObject({ successes: 1, costCount: 1 });
    });
    stop();
    expect(ticks).toHaveLength(0);
  });
});
