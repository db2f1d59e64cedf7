import { describe, expect, it } from 'vitest';
import type { GatewayError} from '../core/index.js';
import { AllTargetsFailedError, CancelSource, collectStream, seededRandom, systemClock, type CanonicalRequest } from '../core/index.js';
import { parseConfigText } from '../config/load-config.js';
import { SimulatedClient } from '../providers/simulated/simulated-client.js';
import { planRoute } from '../routing/resolve-route.js';
import { MemoryStateStore } from '../backends/state/memory-state-store.js';
import { DeploymentBreakers } from './deployment-breakers.js';
import { Engine } from './engine.js';
import { manualClock } from '../../test/support/manual-clock.js';

const CONFIG = `
providers:
  sim: { type: simulated }
  sim2:
    type: simulated
    simulated:
      models:
        broken: { fault: { kind: error, status: 500 } }
        limited: { fault: { kind: rate-limit, retry_after_s: 0.01 } }
        stuck: { behavior: lorem, fault: { kind: stall, after_tokens: 0 } }
        late: { behavior: lorem, output_tokens: 3, ttft_ms: 200 }
        sluggish: { behavior: echo, ttft_ms: 300 }
        halting: { behavior: lorem, output_tokens: 10, fault: { kind: stall, after_tokens: 3 } }
models:
  chain:
    targets: [{ provider: sim2, model: broken }, { provider: sim, model: echo }]
    retry: { attempts: 2, base_delay_ms: 1, max_delay_ms: 2 }
  limited:
    targets: [{ provider: sim2, model: limited }]
    retry: { attempts: 3, base_delay_ms: 1, max_delay_ms: 5 }
  stuck-then-ok:
    targets: [{ provider: sim2, model: stuck }, { provider: sim, model: echo }]
    retry: { attempts: 1 }
    timeouts: { first_token_ms: 50 }
  late:
    targets: [{ provider: sim2, model: late }]
    timeouts: { first_token_ms: 30 }
  guarded:
    targets: [{ provider: sim2, model: broken }, { provider: sim, model: echo }]
    retry: { attempts: 1 }
    breaker: { failure_threshold: 2, cooldown_ms: 150 }
  hedged:
    targets: [{ provider: sim2, model: sluggish }, { provider: sim, model: echo }]
    hedge_ms: 40
  resumable:
    targets: [{ provider: sim2, model: halting }, { provider: sim, model: lorem }]
    resume_on_stall: true
    timeouts: { stall_ms: 60 }
`;

const config = parseConfigText(CONFIG, 'engine.yaml', {}).config!;
const client = new SimulatedClient(systemClock);
// Breaker time is a manual clock: the cooldown test advances it instead of sleeping.
const breakerClock = manualClock();
const engine = new Engine({
  clientFor: () => client,
  clock: systemClock,
  random: seededRandom(7),
  breakers: new DeploymentBreakers(new MemoryStateStore(breakerClock), breakerClock),
});

function request(model: string, stream = true): CanonicalRequest {
  return { model, messages: [{ role: 'user', content: [{ type: 'text', text: 'hello there' }] }], stream };
}

const run = (model: string) => engine.execute(request(model), planRoute(model, config, seededRandom(1)), { requestId: 't', signal: new CancelSource() });

describe('engine', () => {
  it('serves a direct provider/model target', async () => {
    const execution = await run('sim/echo');
    const response = await collectStream(execution.events);
    expect(response.content).toEqual([{ type: 'text', text: 'hello there' }]);
    expect(execution.attempts).toHaveLength(1);
  });

  it('retries, then fails over before commit, and records every attempt', async () => {
    const execution = await run('chain');
    expect(execution.target.provider.id).toBe('sim');
    expect(execution.attempts.map((a) => a.outcome)).toEqual(['upstream_server_error', 'upstream_server_error', 'ok']);
    expect((await collectStream(execution.events)).content).toEqual([{ type: 'text', text: 'hello there' }]);
  });

  it('retries rate limits and reports 429 when every attempt was rate-limited', async () => {
    const failure = await run('limited').catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(AllTargetsFailedError);
    const error = failure as AllTargetsFailedError;
    expect(error.status).toBe(429);
    expect(error.retryAfterMs).toBe(10);
    expect(error.attempts).toHaveLength(3);
  });

  it('treats a missing first token as a timeout and fails over invisibly', async () => {
    const execution = await run('stuck-then-ok');
    expect(execution.attempts.map((a) => a.outcome)).toEqual(['upstream_timeout', 'ok']);
  });

  it('answers 504 when every target timed out', async () => {
    const failure = (await run('late').catch((error: unknown) => error)) as GatewayError;
    expect(failure.code).toBe('all_targets_timed_out');
    expect(failure.status).toBe(504);
  });

  it('rejects unknown models with a hint', () => {
    expect(() => planRoute("nope", config, seededRandom(1))).toThrow(/GET \/v1\/models/);
  });

  it('skips a deployment whose breaker opened, at once, and probes it again after the cooldown', async () => {
    await run('guarded');
    await run('guarded');
    const skipped = await run('guarded');
    expect(skipped.attempts.map((a) => `${a.provider}/${a.model}`)).toEqual(['sim/echo']);
    expect(skipped.decisions).toContainEqual({ providerId: 'sim2', model: 'broken', action: 'skip', reason: 'breaker open' });
    breakerClock.advance(150);
    const probed = await run('guarded');
    expect(probed.attempts.map((a) => a.outcome)).toEqual(['upstream_server_error', 'ok']);
  });

  it('hedges a slow first target and serves whichever commits first', async () => {
    const execution = await run('hedged');
    expect(execution.target.model).toBe('echo');
    expect(execution.decisions.some((d) => d.reason.startsWith('hedge after 40'))).toBe(true);
    expect((await collectStream(execution.events)).content).toEqual([{ type: 'text', text: 'hello there' }]);
  });

  it('resumes a stream that stalled after commit on the next target, behind the route switch', async () => {
    const execution = await run('resumable');
    const events = [];
    for await (const event of execution.events) events.push(event);
    const text = events.flatMap((e) => (e.type === 'text-delta' ? [e.text] : [])).join('');
    expect(text.startsWith('lorem ipsum dolor ')).toBe(true);
    expect(text.length).toBeGreaterThan('lorem ipsum dolor '.length);
    expect(events.some((e) => e.type === 'warning' && e.warning.code === 'stream_resumed')).toBe(true);
    expect(events.some((e) => e.type === 'error')).toBe(false);
    expect(events.at(-1)?.type).toBe('finish');
    expect(execution.attempts.map((a) => `${a.provider}/${a.model}:${a.outcome}`)).toEqual(['sim2/halting:upstream_stalled', 'sim/lorem:ok']);
  });
});
