import { afterEach, describe, expect, it } from 'vitest';
import { CancelSource, GatewayError, type CanonicalRequest } from '../../src/core/index.js';
import { planRoute } from '../../src/routing/resolve-route.js';
import type { Script } from '../fakes/index.js';
import { startChaosRig, type ChaosRig } from './chaos-rig.js';
import { askOpenAI } from './openai-client-calls.js';

const TEST_BOUND_MS = 8000;
const MODELS = `
  guarded:
    targets: [{ provider: primary, model: gpt-4o }, { provider: backup, model: gpt-4o-mini }]
    retry: { attempts: 1 }
    breaker: { failure_threshold: 2, cooldown_ms: 600000 }
  retried: { targets: [{ provider: primary, model: gpt-4o }], retry: { attempts: 2, base_delay_ms: 1, max_delay_ms: 2 } }
  retried-two:
    targets: [{ provider: primary, model: gpt-4o }, { provider: backup, model: gpt-4o-mini }]
    retry: { attempts: 2, base_delay_ms: 1, max_delay_ms: 2 }
  one-shot: { targets: [{ provider: primary, model: gpt-4o }], retry: { attempts: 1 } }
  short-total: { targets: [{ provider: primary, model: gpt-4o }], retry: { attempts: 1 }, timeouts: { total_ms: 200, first_token_ms: 3000 } }
`;

/** Reads the whole request, then drops the connection without a byte of response: the upstream got the POST. */
const DROP_AFTER_BODY: Script = {
  kind: 'custom',
  handle: (req) => {
    req.socket.destroy();
  },
};

let rig: ChaosRig;
afterEach(async () => {
  await rig.close();
});

/** An object `depth` levels deep, built without recursion. */
function nested(depth: number): unknown {
  let value: unknown = {};
  for (let i = 0; i < depth; i++) value = { x: value };
  return value;
}

function attemptsOfLast(): Array<{ provider: string; outcome: string; phase?: string; retryWaitMs?: number }> {
  return rig.gateway.requestLog.records.at(-1)?.attempts ?? [];
}

describe('chaos: the gateway\'s own failures are never blamed on an upstream', () => {
  it('answers internal_error for a body that cannot be serialised, without retrying, failing over or moving the breaker', async () => {
    rig = await startChaosRig({ models: MODELS });
    const { runtime } = rig.gateway;
    const request: CanonicalRequest = {
      model: 'guarded',
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }],
      stream: false,
      passthrough: { format: 'openai-chat', body: { model: 'guarded', messages: [{ role: 'user', content: 'hi' }], unknown_field: nested(200_000) } },
    };
    for (let i = 0; i < 3; i++) {
      const plan = planRoute('guarded', runtime.snapshots.current.config, runtime.random);
      const failure = await runtime.engine.execute(request, plan, { requestId: `hostile-${i}`, signal: new CancelSource() }).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(GatewayError);
      expect((failure as GatewayError).code).toBe('internal_error');
      expect((failure as GatewayError).status).toBe(500);
    }
    expect(rig.primary.requests).toHaveLength(0);
    expect(rig.backup.requests).toHaveLength(0);
    const breakers = await runtime.breakers.snapshot();
    expect(breakers.filter((b) => b.state !== 'closed')).toEqual([]);
    rig.primary.enqueue({ kind: 'text', text: 'Primary is fine.' });
    const healthy = await askOpenAI(rig.openai, 'guarded', false);
    expect(healthy.text).toBe('Primary is fine.');
    expect(healthy.attempts).toBe(1);
  }, TEST_BOUND_MS);

  it('never opens a breaker on deeply nested client JSON sent over HTTP', async () => {
    rig = await startChaosRig({ models: MODELS });
    const depth = 100_000;
    const body = `{"model":"guarded","messages":[{"role":"user","content":"hi"}],"unknown_field":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${rig.gateway.url}/v1/chat/completions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
      // Refused at the edge (a depth bound) or failed inside the gateway: never an upstream's fault.
      expect([400, 413, 500]).toContain(response.status);
      await response.arrayBuffer();
    }
    expect(rig.primary.requests).toHaveLength(0);
    expect((await rig.gateway.runtime.breakers.snapshot()).filter((b) => b.state !== 'closed')).toEqual([]);
  }, TEST_BOUND_MS);
});

describe('chaos: one retry layer, every upstream POST on the record', () => {
  it.each([true, false])('a fresh connection dropped after the body is sent is one attempt, retried only by the engine (stream: %s)', async (stream) => {
    rig = await startChaosRig({ models: MODELS });
    rig.primary.setDefault(DROP_AFTER_BODY);
    const outcome = await askOpenAI(rig.openai, 'retried', stream);
    expect(outcome.error?.status).toBe(502);
    expect(rig.primary.requests).toHaveLength(2);
    expect(attemptsOfLast().map((a) => a.outcome)).toEqual(['upstream_connection_error', 'upstream_connection_error']);
  }, TEST_BOUND_MS);

  it('with two targets, four POSTs and four attempts on the record', async () => {
    rig = await startChaosRig({ models: MODELS });
    rig.primary.setDefault(DROP_AFTER_BODY);
    rig.backup.setDefault(DROP_AFTER_BODY);
    const outcome = await askOpenAI(rig.openai, 'retried-two', false);
    expect(outcome.error?.status).toBe(502);
    expect(rig.primary.requests.length + rig.backup.requests.length).toBe(4);
    expect(attemptsOfLast()).toHaveLength(4);
  }, TEST_BOUND_MS);

  it('a reused keep-alive connection reset before any response byte is retried once on a fresh one, not as a provider failure', async () => {
    rig = await startChaosRig({ models: MODELS });
    rig.primary.enqueue({ kind: 'text', text: 'First.' }, DROP_AFTER_BODY, { kind: 'text', text: 'Second.' });
    expect((await askOpenAI(rig.openai, 'one-shot', false)).text).toBe('First.');
    const outcome = await askOpenAI(rig.openai, 'one-shot', false);
    expect(outcome.text).toBe('Second.');
    expect(rig.primary.requests).toHaveLength(3);
    expect(attemptsOfLast().map((a) => a.outcome)).toEqual(['ok']);
  }, TEST_BOUND_MS);
});

describe('chaos: timeouts keep their phase', () => {
  it.each<{ phase: string; model: string; script: Script; code: string }>([
    { phase: 'headers', model: 'one-shot', script: { kind: 'hang-before-headers' }, code: 'upstream_timeout' },
    { phase: 'first_token', model: 'one-shot', script: { kind: 'text', text: 'late', ttftMs: 2000 }, code: 'upstream_timeout' },
    { phase: 'stall', model: 'one-shot', script: { kind: 'stall-after', chunks: 1, text: 'stuck here' }, code: 'upstream_stalled' },
    { phase: 'total', model: 'short-total', script: { kind: 'hang-before-headers' }, code: 'upstream_timeout' },
  ])('a $phase timeout is recorded and counted with its phase', async ({ phase, model, script, code }) => {
    rig = await startChaosRig({ models: MODELS });
    rig.primary.enqueue(script);
    const outcome = await askOpenAI(rig.openai, model, true);
    // A stall comes after the stream was committed: the client sees it as a mid-stream error.
    expect(outcome.error).toBeDefined();
    expect(attemptsOfLast()).toEqual([expect.objectContaining({ outcome: code, phase })]);
    const metrics = await (await fetch(`${rig.gateway.url}/metrics`)).text();
    expect(metrics).toMatch(new RegExp(`switchyard_upstream_timeouts_total\\{provider="primary",model="gpt-4o",phase="${phase}"\\} 1`));
  }, TEST_BOUND_MS);
});
