import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startChaosRig, type ChaosRig } from './chaos-rig.js';
import { askOpenAI } from './openai-client-calls.js';

const HEDGE_MS = 100;
const TEST_BOUND_MS = 6000;

let rig: ChaosRig;

beforeAll(async () => {
  rig = await startChaosRig({
    models: `
  hedged:
    targets: [{ provider: primary, model: gpt-4o }, { provider: backup, model: gpt-4o-mini }]
    hedge_ms: ${HEDGE_MS}
    timeouts: { first_token_ms: 3000 }
  resumable:
    targets: [{ provider: primary, model: gpt-4o }, { provider: backup, model: gpt-4o-mini }]
    resume_on_stall: true
  resumable-alone:
    targets: [{ provider: primary, model: gpt-4o }]
    resume_on_stall: true
`,
  });
});
afterAll(async () => {
  await rig.close();
});

describe('chaos: hedging', () => {
  it.each([true, false])('races the next target when the first is slow, and aborts the loser (stream: %s)', async (stream) => {
    const primaryIndex = rig.primary.requests.length;
    rig.primary.enqueue({ kind: 'text', text: 'too late', ttftMs: 2000 });
    rig.backup.enqueue({ kind: 'text', text: 'Hedge wins.' });
    const outcome = await askOpenAI(rig.openai, 'hedged', stream);
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe('Hedge wins.');
    expect(outcome.attempts).toBe(2);
    expect(rig.gateway.requestLog.records.at(-1)?.attempts?.map((a) => `${a.provider}:${a.outcome}`)).toEqual(['primary:client_closed', 'backup:ok']);

    await rig.primary.waitForClose(primaryIndex, 2000);
    expect(rig.primary.requests[primaryIndex]?.closedEarly).toBe(true);
    expect(rig.gateway.requestLog.records.at(-1)?.routing).toContainEqual(
      expect.objectContaining({ providerId: 'backup', action: 'try', reason: `hedge after ${HEDGE_MS} ms` }),
    );
  }, TEST_BOUND_MS);

  it('does not hedge when the first target answers within hedge_ms', async () => {
    const backupSeen = rig.backup.requests.length;
    rig.primary.enqueue({ kind: 'text', text: 'Quick primary.' });
    const outcome = await askOpenAI(rig.openai, 'hedged', true);
    expect(outcome.text).toBe('Quick primary.');
    expect(outcome.attempts).toBe(1);
    expect(rig.backup.requests.length).toBe(backupSeen);
  }, TEST_BOUND_MS);
});

describe('chaos: resume on stall', () => {
  it('continues a stream that stalled after commit on the next target, sending the partial output as an assistant message', async () => {
    rig.primary.enqueue({ kind: 'stall-after', chunks: 2, text: 'one two three four' });
    rig.backup.enqueue({ kind: 'text', text: [' three', ' four'] });
    const backupIndex = rig.backup.requests.length;
    const outcome = await askOpenAI(rig.openai, 'resumable', true);
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe('one two three four');
    const continuation = rig.backup.requests[backupIndex]?.body as { messages: Array<{ role: string; content: unknown }> };
    expect(continuation.messages.at(-1)).toEqual({ role: 'assistant', content: 'one two' });
    expect(continuation.messages.at(-2)).toMatchObject({ role: 'user' });
    await rig.primary.waitForClose(rig.primary.requests.length - 1, 2000);
  }, TEST_BOUND_MS);

  it('ends with an SDK-visible error when there is nowhere to resume', async () => {
    rig.primary.enqueue({ kind: 'stall-after', chunks: 2, text: 'one two three four' });
    const outcome = await askOpenAI(rig.openai, 'resumable-alone', true);
    expect(outcome.midStream).toBe(true);
    expect(outcome.error?.message).toMatch(/stall/);
    expect(outcome.text).toBe('one two');
  }, TEST_BOUND_MS);

  it('ends with an SDK-visible error when the continuation fails too', async () => {
    rig.primary.enqueue({ kind: 'stall-after', chunks: 2, text: 'one two three four' });
    rig.backup.enqueue({ kind: 'error', status: 500 }, { kind: 'error', status: 500 });
    const outcome = await askOpenAI(rig.openai, 'resumable', true);
    expect(outcome.midStream).toBe(true);
    expect(outcome.error).toBeDefined();
    expect(outcome.text).toBe('one two');
  }, TEST_BOUND_MS);
});
