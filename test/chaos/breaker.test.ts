import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { manualBreakerClock, startChaosRig, type ChaosRig } from './chaos-rig.js';
import { askOpenAI } from './openai-client-calls.js';

const BACKUP_TEXT = 'Backup answer.';
const PRIMARY_TEXT = 'Primary is back.';
const COOLDOWN_MS = 10_000;
const TEST_BOUND_MS = 6000;

let rig: ChaosRig;
let clock: { advance(ms: number): void };

beforeAll(async () => {
  rig = await startChaosRig({
    models: `
  guarded:
    targets: [{ provider: primary, model: gpt-4o }, { provider: backup, model: gpt-4o-mini }]
    retry: { attempts: 1 }
    breaker: { failure_threshold: 2, cooldown_ms: ${COOLDOWN_MS} }
`,
  });
  rig.backup.setDefault({ kind: 'text', text: BACKUP_TEXT });
  clock = manualBreakerClock(rig.gateway);
});
afterAll(async () => {
  await rig.close();
});

function lastDecisions(): Array<{ providerId: string; action: string; reason: string }> {
  return rig.gateway.requestLog.records.at(-1)?.routing ?? [];
}

describe('chaos: circuit breaker', () => {
  it('opens after the failure threshold, skips the dead target at once, and probes it again after the cooldown', async () => {
    for (let i = 0; i < 2; i++) {
      rig.primary.enqueue({ kind: 'error', status: 500 });
      const outcome = await askOpenAI(rig.openai, 'guarded', true);
      expect(outcome.text).toBe(BACKUP_TEXT);
      expect(outcome.attempts).toBe(2);
    }
    expect(rig.primary.requests).toHaveLength(2);

    const skipped = await askOpenAI(rig.openai, 'guarded', false);
    expect(skipped.text).toBe(BACKUP_TEXT);
    expect(skipped.attempts).toBe(1);
    expect(rig.primary.requests).toHaveLength(2);
    expect(lastDecisions()).toContainEqual(expect.objectContaining({ providerId: 'primary', action: 'skip', reason: 'breaker open' }));

    clock.advance(COOLDOWN_MS - 1);
    await askOpenAI(rig.openai, 'guarded', false);
    expect(rig.primary.requests).toHaveLength(2);

    clock.advance(1);
    rig.primary.enqueue({ kind: 'text', text: PRIMARY_TEXT });
    const probe = await askOpenAI(rig.openai, 'guarded', true);
    expect(probe.text).toBe(PRIMARY_TEXT);
    expect(probe.attempts).toBe(1);
    expect(rig.primary.requests).toHaveLength(3);
    expect(await rig.gateway.runtime.breakers.snapshot()).toContainEqual(expect.objectContaining({ provider: 'primary', model: 'gpt-4o', state: 'closed' }));

    rig.primary.enqueue({ kind: 'text', text: PRIMARY_TEXT });
    expect((await askOpenAI(rig.openai, 'guarded', false)).text).toBe(PRIMARY_TEXT);
  }, TEST_BOUND_MS);

  it('reopens at once when the half-open probe fails', async () => {
    for (let i = 0; i < 2; i++) {
      rig.primary.enqueue({ kind: 'error', status: 503 });
      await askOpenAI(rig.openai, 'guarded', false);
    }
    const opened = rig.primary.requests.length;
    clock.advance(COOLDOWN_MS);
    rig.primary.enqueue({ kind: 'hang-before-headers' });
    const probe = await askOpenAI(rig.openai, 'guarded', true);
    expect(probe.text).toBe(BACKUP_TEXT);
    expect(rig.primary.requests.length).toBe(opened + 1);

    const after = await askOpenAI(rig.openai, 'guarded', true);
    expect(after.text).toBe(BACKUP_TEXT);
    expect(after.attempts).toBe(1);
    expect(rig.primary.requests.length).toBe(opened + 1);
  }, TEST_BOUND_MS);

  it('does not count the request’s own faults (a plain 400) against the deployment', async () => {
    clock.advance(COOLDOWN_MS);
    rig.primary.enqueue({ kind: 'text', text: PRIMARY_TEXT });
    expect((await askOpenAI(rig.openai, 'guarded', false)).text).toBe(PRIMARY_TEXT);
    const badRequest = { error: { message: 'Invalid value for temperature.', type: 'invalid_request_error', param: 'temperature', code: null } };
    for (let i = 0; i < 3; i++) {
      rig.primary.enqueue({ kind: 'error', status: 400, body: badRequest });
      expect((await askOpenAI(rig.openai, 'guarded', false)).error?.status).toBe(400);
    }
    rig.primary.enqueue({ kind: 'text', text: PRIMARY_TEXT });
    expect((await askOpenAI(rig.openai, 'guarded', false)).text).toBe(PRIMARY_TEXT);
  }, TEST_BOUND_MS);
});
