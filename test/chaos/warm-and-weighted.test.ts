import { afterEach, describe, expect, it } from 'vitest';
import { startChaosRig, type ChaosRig } from './chaos-rig.js';
import { askOpenAI } from './openai-client-calls.js';

const TEST_BOUND_MS = 6000;

let rig: ChaosRig | undefined;

afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const WEIGHTED = `
  split:
    strategy: weighted
    seed: 7
    targets: [{ provider: primary, model: gpt-4o, weight: 1 }, { provider: backup, model: gpt-4o-mini, weight: 1 }]
`;

describe('chaos: warm connections', () => {
  it('opens a connection to every upstream (a HEAD) before the first request', async () => {
    rig = await startChaosRig({ models: WEIGHTED, warm: true });
    await rig.primary.waitForRequests(1, 2000);
    await rig.backup.waitForRequests(1, 2000);
    expect(rig.primary.requests[0]?.method).toBe('HEAD');
    expect(rig.backup.requests[0]?.method).toBe('HEAD');
    // A warmed connection must stay open: undici closes after a HEAD unless told to keep it.
    expect(rig.primary.requests[0]?.headers.connection).toBe('keep-alive');
    expect(rig.gateway.runtime.pools.stats().filter((pool) => pool.connected > 0).map((pool) => pool.origin).sort()).toEqual([rig.backup.url, rig.primary.url].sort());
    const outcome = await askOpenAI(rig.openai, 'primary/gpt-4o', false);
    expect(outcome.error).toBeUndefined();
    expect(rig.primary.requests.map((r) => r.method)).toEqual(['HEAD', 'POST']);
  }, TEST_BOUND_MS);
});

describe('chaos: seeded weighted routing', () => {
  async function providersServing(count: number): Promise<string[]> {
    rig = await startChaosRig({ models: WEIGHTED });
    rig.backup.setDefault({ kind: 'text', text: 'backup' });
    rig.primary.setDefault({ kind: 'text', text: 'primary' });
    const served: string[] = [];
    for (let i = 0; i < count; i++) served.push((await askOpenAI(rig.openai, 'split', false)).text);
    await rig.close();
    rig = undefined;
    return served;
  }

  it('spreads requests over the targets by weight, identically on every run with the same seed', async () => {
    const first = await providersServing(12);
    const second = await providersServing(12);
    expect(second).toEqual(first);
    expect(new Set(first)).toEqual(new Set(['primary', 'backup']));
  }, TEST_BOUND_MS * 2);
});
