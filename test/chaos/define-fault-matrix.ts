import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_TEXT } from '../fakes/run-script.js';
import { FAULT_CASES, FAULT_TEXT, type FaultCase, type Mode } from './fault-cases.js';
import { startChaosRig, type ChaosRig } from './chaos-rig.js';
import { askOpenAI } from './openai-client-calls.js';

const BACKUP_TEXT = 'Backup answer, complete and correct.';
const ALIVE_TEXT = 'Still alive.';
const RETRY_ATTEMPTS = 2;
const TEST_BOUND_MS = 6000;

const MODELS = `
  with-fallback: { targets: [{ provider: primary, model: gpt-4o }, { provider: backup, model: gpt-4o-mini }] }
  alone: { targets: [{ provider: primary, model: gpt-4o }] }
  dead-with-fallback: { targets: [{ provider: dead, model: gpt-4o }, { provider: backup, model: gpt-4o-mini }] }
  dead-alone: { targets: [{ provider: dead, model: gpt-4o }] }
`;

function modelFor(fault: FaultCase, fallback: boolean): string {
  if (fault.script === undefined) return fallback ? 'dead-with-fallback' : 'dead-alone';
  return fallback ? 'with-fallback' : 'alone';
}

function primaryName(fault: FaultCase): string {
  return `${fault.script === undefined ? 'dead' : 'primary'}/gpt-4o`;
}

/**
 * Registers the fault × fallback/no-fallback table for one mode: each fault gets its own gateway and fakes, and every
 * test ends by proving the gateway still serves.
 */
export function defineFaultMatrix(mode: Mode): void {
  describe.each(FAULT_CASES)(`chaos (OpenAI SDK → OpenAI-format upstreams, ${mode}): $name`, (fault) => {
    let rig: ChaosRig;

    beforeAll(async () => {
      rig = await startChaosRig({ models: MODELS });
      rig.backup.setDefault({ kind: 'text', text: BACKUP_TEXT });
    });
    afterAll(async () => {
      await rig.close();
    });

    /** Enqueues the fault once per attempt the primary will see; returns that count. */
    function arm(expectPhase: 'before-content' | 'after-content'): number {
      const attempts = expectPhase === 'before-content' ? RETRY_ATTEMPTS : 1;
      if (fault.script === undefined) return 0;
      for (let i = 0; i < attempts; i++) rig.primary.enqueue(fault.script);
      return attempts;
    }

    async function expectStillServing(): Promise<void> {
      rig.primary.enqueue({ kind: 'text', text: ALIVE_TEXT });
      const outcome = await askOpenAI(rig.openai, 'alone', false);
      expect(outcome.error).toBeUndefined();
      expect(outcome.text).toBe(ALIVE_TEXT);
    }

    const expectation = mode === 'stream' ? fault.stream : fault.nonStream;
    const stream = mode === 'stream';

    it('with a healthy fallback', async () => {
      const primarySeen = rig.primary.requests.length;
      const backupSeen = rig.backup.requests.length;
      const primaryAttempts = arm(expectation.phase);
      const outcome = await askOpenAI(rig.openai, modelFor(fault, true), stream);
      expect(rig.primary.requests.length - primarySeen).toBe(primaryAttempts);
      if (expectation.phase === 'before-content') {
        expect(outcome.error).toBeUndefined();
        expect(outcome.text).toBe(BACKUP_TEXT);
        expect(outcome.attempts).toBe(RETRY_ATTEMPTS + 1);
        expect(rig.backup.requests.length - backupSeen).toBe(1);
        const record = await rig.recordOf(outcome.requestId);
        expect(record?.attempts?.map((a) => a.outcome)).toEqual([expectation.reason, expectation.reason, 'ok']);
      } else {
        expect(outcome.attempts).toBe(1);
        expect(outcome.midStream).toBe(true);
        expect(outcome.error).toBeDefined();
        expect(outcome.text).not.toBe('');
        expect([FAULT_TEXT, DEFAULT_TEXT].some((full) => full.startsWith(outcome.text))).toBe(true);
        expect(rig.backup.requests.length - backupSeen).toBe(0);
      }
      await expectStillServing();
    }, TEST_BOUND_MS);

    it('without a fallback', async () => {
      const primaryAttempts = arm(expectation.phase);
      const primarySeen = rig.primary.requests.length;
      const outcome = await askOpenAI(rig.openai, modelFor(fault, false), stream);
      expect(rig.primary.requests.length - primarySeen).toBe(primaryAttempts);
      expect(outcome.error).toBeDefined();
      if (expectation.phase === 'before-content') {
        expect(outcome.midStream).toBe(false);
        expect(outcome.error?.status).toBe(expectation.status);
        const listed = `1) ${primaryName(fault)}: ${expectation.reason}`;
        expect(outcome.error?.message).toContain(listed);
        expect(outcome.error?.message).toContain(`2) ${primaryName(fault)}: ${expectation.reason}`);
        for (const [name, value] of Object.entries(fault.errorHeaders ?? {})) expect(outcome.error?.headers?.get(name)).toBe(value);
      } else {
        expect(outcome.midStream).toBe(true);
        expect(outcome.text).not.toBe('');
      }
      await expectStillServing();
    }, TEST_BOUND_MS);
  });
}
