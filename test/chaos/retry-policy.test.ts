import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Script } from '../fakes/index.js';
import { fixtureText } from '../fakes/recorded-fixtures.js';
import { startChaosRig, type ChaosRig } from './chaos-rig.js';
import { askOpenAI, type ClientOutcome } from './openai-client-calls.js';

const BACKUP_TEXT = 'Backup answer.';
const PRIMARY_TEXT = 'Primary answer after the wait.';
const TEST_BOUND_MS = 6000;

let rig: ChaosRig;

beforeAll(async () => {
  rig = await startChaosRig({
    models: `
  with-fallback: { targets: [{ provider: primary, model: gpt-4o }, { provider: backup, model: gpt-4o-mini }] }
  alone: { targets: [{ provider: primary, model: gpt-4o }] }
  both-timed: { targets: [{ provider: primary, model: gpt-4o }, { provider: backup, model: gpt-4o-mini }], retry: { attempts: 1 } }
`,
  });
  rig.backup.setDefault({ kind: 'text', text: BACKUP_TEXT });
});
afterAll(async () => {
  await rig.close();
});

function rateLimited(headers: Record<string, string>): Script {
  return { kind: 'error', status: 429, headers };
}

/** The attempts the gateway recorded for a request the client saw. */
async function attemptsOf(outcome: ClientOutcome): Promise<Array<{ provider: string; outcome: string; retryWaitMs?: number }>> {
  return (await rig.recordOf(outcome.requestId))?.attempts ?? [];
}

describe('chaos: retry hints', () => {
  it.each<{ hint: string; headers: Record<string, string> | (() => Record<string, string>); min: number; max: number }>([
    { hint: 'retry-after-ms', headers: { 'retry-after-ms': '120' }, min: 120, max: 120 },
    { hint: 'x-ms-retry-after-ms', headers: { 'x-ms-retry-after-ms': '80' }, min: 80, max: 80 },
    { hint: 'retry-after in seconds', headers: { 'retry-after': '1' }, min: 1000, max: 1000 },
    // An HTTP date has whole-second precision, so the wait lands somewhere in the last second before it.
    { hint: 'retry-after as an HTTP date', headers: () => ({ 'retry-after': new Date(Date.now() + 2000).toUTCString() }), min: 900, max: 2000 },
  ])('waits as long as $hint says, then retries the same target', async ({ headers, min, max }) => {
    rig.primary.enqueue(rateLimited(typeof headers === 'function' ? headers() : headers), { kind: 'text', text: PRIMARY_TEXT });
    const outcome = await askOpenAI(rig.openai, 'alone', false);
    expect(outcome.error).toBeUndefined();
    expect(outcome.text).toBe(PRIMARY_TEXT);
    expect(outcome.attempts).toBe(2);
    const wait = (await attemptsOf(outcome))[1]?.retryWaitMs ?? -1;
    expect(wait).toBeGreaterThanOrEqual(min);
    expect(wait).toBeLessThanOrEqual(max);
  }, TEST_BOUND_MS);

  it('counts the wait before a retry as waiting, not as gateway overhead', async () => {
    rig.primary.enqueue(rateLimited({ 'retry-after-ms': '400' }), { kind: 'text', text: PRIMARY_TEXT });
    const outcome = await askOpenAI(rig.openai, 'alone', false);
    expect(outcome.text).toBe(PRIMARY_TEXT);
    expect((await attemptsOf(outcome)).map((a) => a.retryWaitMs)).toEqual([0, 400]);
    expect((await rig.recordOf(outcome.requestId))?.overheadMs).toBeLessThan(200);
  }, TEST_BOUND_MS);

  it('moves to the next target at once when the hint is longer than the deadline allows', async () => {
    const primarySeen = rig.primary.requests.length;
    rig.primary.enqueue(rateLimited({ 'retry-after': '30' }));
    const outcome = await askOpenAI(rig.openai, 'with-fallback', true);
    expect(outcome.text).toBe(BACKUP_TEXT);
    expect(outcome.attempts).toBe(2);
    expect(rig.primary.requests.length - primarySeen).toBe(1);
  }, TEST_BOUND_MS);

  it('answers 429 with the shortest retry-after when every target is rate-limited', async () => {
    rig.primary.enqueue(rateLimited({ 'retry-after': '30' }));
    rig.backup.enqueue(rateLimited({ 'retry-after': '20' }));
    const outcome = await askOpenAI(rig.openai, 'with-fallback', false);
    expect(outcome.error?.status).toBe(429);
    expect(outcome.error?.headers?.get('retry-after')).toBe('20');
    expect(outcome.error?.message).toContain('1) primary/gpt-4o: upstream_rate_limited (HTTP 429); 2) backup/gpt-4o-mini: upstream_rate_limited (HTTP 429)');
  }, TEST_BOUND_MS);
});

describe('chaos: what is never retried', () => {
  const badRequest = { error: { message: 'Invalid value for temperature.', type: 'invalid_request_error', param: 'temperature', code: null } };

  it('returns a plain 400 straight to the client: no retry, no fallback', async () => {
    const [primarySeen, backupSeen] = [rig.primary.requests.length, rig.backup.requests.length];
    rig.primary.enqueue({ kind: 'error', status: 400, body: badRequest });
    const outcome = await askOpenAI(rig.openai, 'with-fallback', true);
    expect(outcome.error?.status).toBe(400);
    expect(rig.primary.requests.length - primarySeen).toBe(1);
    expect(rig.backup.requests.length - backupSeen).toBe(0);
  }, TEST_BOUND_MS);

  it.each([401, 403, 404])('does not retry HTTP %i on the same target, but fails over', async (status) => {
    const primarySeen = rig.primary.requests.length;
    rig.primary.enqueue({ kind: 'error', status });
    const outcome = await askOpenAI(rig.openai, 'with-fallback', false);
    expect(outcome.text).toBe(BACKUP_TEXT);
    expect(outcome.attempts).toBe(2);
    expect(rig.primary.requests.length - primarySeen).toBe(1);
  }, TEST_BOUND_MS);

  it('moves a context-length 400 to the next target without retrying it', async () => {
    const primarySeen = rig.primary.requests.length;
    rig.primary.enqueue({ kind: 'error', status: 400 });
    const outcome = await askOpenAI(rig.openai, 'with-fallback', true);
    expect(outcome.text).toBe(BACKUP_TEXT);
    expect((await attemptsOf(outcome)).map((a) => a.outcome)).toEqual(['context_length_exceeded', 'ok']);
    expect(rig.primary.requests.length - primarySeen).toBe(1);
  }, TEST_BOUND_MS);

  it("fails over on llama.cpp's exceed_context_size_error 400 to a target with a bigger window", async () => {
    const primarySeen = rig.primary.requests.length;
    rig.primary.enqueue({ kind: 'error', status: 400, body: fixtureText('llamacpp-error-400-context.json') });
    const outcome = await askOpenAI(rig.openai, 'with-fallback', false);
    expect(outcome.text).toBe(BACKUP_TEXT);
    expect((await attemptsOf(outcome)).map((a) => a.outcome)).toEqual(['context_length_exceeded', 'ok']);
    expect(rig.primary.requests.length - primarySeen).toBe(1);
  }, TEST_BOUND_MS);
});

describe('chaos: aggregate errors', () => {
  it('answers 504 listing every attempt when all of them timed out', async () => {
    rig.primary.enqueue({ kind: 'hang-before-headers' });
    rig.backup.enqueue({ kind: 'stall-after', chunks: 0, text: 'never' });
    const outcome = await askOpenAI(rig.openai, 'both-timed', true);
    expect(outcome.error?.status).toBe(504);
    expect(outcome.error?.message).toContain('1) primary/gpt-4o: upstream_timeout; 2) backup/gpt-4o-mini: upstream_timeout');
  }, TEST_BOUND_MS);

  it('answers 502 listing provider, model and reason of each attempt when they failed differently', async () => {
    rig.primary.enqueue({ kind: 'error', status: 500 });
    rig.backup.enqueue({ kind: 'malformed-json' });
    const outcome = await askOpenAI(rig.openai, 'both-timed', false);
    expect(outcome.error?.status).toBe(502);
    expect(outcome.error?.message).toContain('1) primary/gpt-4o: upstream_server_error (HTTP 500); 2) backup/gpt-4o-mini: upstream_malformed_response');
  }, TEST_BOUND_MS);
});
