import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { wallClock, type Target } from '../core/index.js';
import type { BreakerPolicy } from '../config/gateway-config.js';
import type { StateStore } from '../ports/state-store.js';
import { MemoryStateStore } from '../backends/state/memory-state-store.js';
import { openStateStore } from '../backends/state/open-state-store.js';
import { untilPasses } from '../../test/support/until-passes.js';
import { DeploymentBreakers } from './deployment-breakers.js';

const redisUrl = process.env.REDIS_URL;
const SYNC_MS = 20;
const policy: BreakerPolicy = { failureThreshold: 3, errorRate: 0.9, minRequests: 100, windowMs: 60_000, cooldownMs: 60_000 };
const target = { provider: { id: 'oai' }, model: 'gpt' } as Target;

/** Breakers of n replicas: for memory one process is every replica there is, so they are one instance. */
interface Backend {
  name: string;
  skip?: string;
  replicas(count: number): Promise<DeploymentBreakers[]>;
}

const stores: StateStore[] = [];
const backends: Backend[] = [
  {
    name: 'memory',
    async replicas(count) {
      const store = new MemoryStateStore(wallClock);
      stores.push(store);
      const breakers = new DeploymentBreakers(store, wallClock);
      return Array.from({ length: count }, () => breakers);
    },
  },
  {
    name: 'redis',
    ...(redisUrl ? {} : { skip: 'REDIS_URL is not set (eval "$(../shared/ci/services-up.sh)" starts Redis)' }),
    async replicas(count) {
      const settings = { url: redisUrl ?? '', prefix: `sy-test-${randomUUID()}:`, syncIntervalMs: SYNC_MS };
      const opened = await Promise.all(Array.from({ length: count }, () => openStateStore(settings, wallClock)));
      stores.push(...opened);
      return opened.map((store) => new DeploymentBreakers(store, wallClock));
    },
  },
];

/** Long enough for one replica's tally to reach the others (a merge and its publish). */
const settle = () => new Promise((resolve) => setTimeout(resolve, SYNC_MS * 6));

afterEach(async () => {
  await Promise.all(stores.splice(0).map((store) => store.close()));
});

for (const backend of backends) {
  if (backend.skip) console.log(`deployment breakers (${backend.name}) skipped: ${backend.skip}`);
  describe.skipIf(backend.skip !== undefined)(`deployment breakers across replicas: ${backend.name}`, () => {
    it('failures on three replicas at once add up: the breaker opens once they are summed, on every replica', async () => {
      const replicas = await backend.replicas(3);
      await Promise.all(replicas.map((replica) => replica.record(target, 'upstream_server_error', policy)));
      for (const replica of replicas) await untilPasses(async () => expect(await replica.admit(target, policy)).toEqual({ admit: false, reason: 'breaker open' }), 1000);
      expect((await replicas[0]!.snapshot())[0]).toMatchObject({ state: 'open', consecutiveFailures: 3 });
    });

    it('failures spread over three replicas add up: the breaker opens at the threshold and every replica skips it', async () => {
      const [one, two, three] = (await backend.replicas(3)) as [DeploymentBreakers, DeploymentBreakers, DeploymentBreakers];
      await one.record(target, 'upstream_server_error', policy);
      await settle();
      await two.record(target, 'upstream_timeout', policy);
      await settle();
      expect((await three.admit(target, policy)).admit).toBe(true);
      expect((await three.snapshot())[0]).toMatchObject({ provider: 'oai', model: 'gpt', state: 'closed', consecutiveFailures: 2 });
      await three.record(target, 'upstream_overloaded', policy);
      expect(await three.admit(target, policy)).toEqual({ admit: false, reason: 'breaker open' });
      for (const replica of [one, two]) await untilPasses(async () => expect(await replica.admit(target, policy)).toEqual({ admit: false, reason: 'breaker open' }), 1000);
    });

    it('a success on any replica ends the run of failures on all of them', async () => {
      const [one, two, three] = (await backend.replicas(3)) as [DeploymentBreakers, DeploymentBreakers, DeploymentBreakers];
      await one.record(target, 'upstream_server_error', policy);
      await two.record(target, 'upstream_server_error', policy);
      await settle();
      await three.record(target, 'ok', policy);
      await settle();
      await one.record(target, 'upstream_server_error', policy);
      await settle();
      await two.record(target, 'upstream_server_error', policy);
      expect(await two.admit(target, policy)).toEqual({ admit: true, reason: 'breaker closed' });
      expect((await two.snapshot())[0]).toMatchObject({ state: 'closed', consecutiveFailures: 2 });
    });

    it('a late success on another replica, from a request let through before the breaker opened, leaves it open everywhere', async () => {
      const [one, two] = (await backend.replicas(2)) as [DeploymentBreakers, DeploymentBreakers];
      expect((await two.admit(target, policy)).admit).toBe(true);
      for (let i = 0; i < 3; i++) await one.record(target, 'upstream_server_error', policy);
      await untilPasses(async () => expect(await two.admit(target, policy)).toEqual({ admit: false, reason: 'breaker open' }), 1000);
      await two.record(target, 'ok', policy);
      await settle();
      for (const replica of [one, two]) expect(await replica.admit(target, policy)).toEqual({ admit: false, reason: 'breaker open' });
    });
  });
}

describe('deployment breakers on the request path', () => {
  it('answer a closed or cooling-down breaker without a promise, and await only the fleet-wide claim of the first probe', async () => {
    let now = 1_000_000;
    const clock = { now: () => now };
    const breakers = new DeploymentBreakers(new MemoryStateStore(clock), clock);
    expect(breakers.admit(target, policy)).toEqual({ admit: true, reason: 'breaker closed' });
    for (let i = 0; i < policy.failureThreshold; i++) breakers.record(target, 'upstream_server_error', policy);
    expect(breakers.admit(target, policy)).toEqual({ admit: false, reason: 'breaker open' });
    now += policy.cooldownMs;
    const probe = breakers.admit(target, policy);
    expect(probe).toBeInstanceOf(Promise);
    expect(await probe).toEqual({ admit: true, reason: 'breaker half-open: probe' });
    expect(breakers.admit(target, policy)).toEqual({ admit: false, reason: 'breaker half-open: probe in flight' });
    breakers.record(target, 'ok', policy);
    expect(breakers.admit(target, policy)).toEqual({ admit: true, reason: 'breaker closed' });
  });
});
