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
    timeouts: { first_token_ms: 3000 }
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

  it('asks the continuation only for the rest of max_tokens, reports the client\'s own usage, and records the stall', async () => {
    rig.primary.enqueue({ kind: 'stall-after', chunks: 2, text: 'one two three four' });
    // "one two" is 2 tokens on gpt-4o's tokenizer; given back as an assistant message it adds 2 + 4 framing tokens.
    rig.backup.enqueue({ kind: 'text', text: [' three', ' four'], usage: { input: 36 + 6, output: 2 }, ttftMs: 400 });
    const backupIndex = rig.backup.requests.length;
    const stream = await rig.openai.chat.completions.create({
      model: 'resumable',
      messages: [{ role: 'user', content: 'Tell me something.' }],
      max_tokens: 400,
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    let usage: { prompt_tokens: number; completion_tokens: number } | undefined;
    for await (const chunk of stream) {
      text += chunk.choices[0]?.delta.content ?? '';
      if (chunk.usage) usage = chunk.usage;
    }
    expect(text).toBe('one two three four');
    const continuation = rig.backup.requests[backupIndex]?.body as { max_tokens?: number; max_completion_tokens?: number };
    expect(continuation.max_completion_tokens ?? continuation.max_tokens).toBe(398);
    expect(usage).toMatchObject({ prompt_tokens: 36, completion_tokens: 4 });
    const record = rig.gateway.requestLog.records.at(-1);
    expect(record?.usage).toMatchObject({ inputTokens: 36, outputTokens: 4 });
    expect(record?.attempts.map((a) => `${a.provider}:${a.outcome}:${a.phase ?? '-'}:${a.retryWaitMs}`)).toEqual(['primary:upstream_stalled:stall:0', 'backup:ok:-:0']);
    // The continuation is part of the same request: its attempt starts after the stalled one, on the same timeline.
    const [stalled, resumed] = record?.attempts ?? [];
    expect(resumed?.startOffsetMs).toBeGreaterThanOrEqual((stalled?.startOffsetMs ?? 0) + (stalled?.latencyMs ?? 0) - 1);
    // The stall and the backup's 400 ms to its first token were spent waiting on upstreams, not in the gateway.
    expect(record?.overheadMs).toBeLessThan(200);
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
