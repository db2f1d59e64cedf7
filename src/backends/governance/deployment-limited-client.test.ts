import { describe, expect, it } from 'vitest';
import { createModelLookup } from '../../catalog/index.js';
import { DEFAULT_TIMEOUTS } from '../../config/gateway-config.js';
import { parseConfigText } from '../../config/load-config.js';
import { CancelSource, batchesOf, eventBatches, systemRandom, type CanonicalRequest, type StreamEvent, type Usage } from '../../core/index.js';
import { AccessGate } from '../../limits/access-gate.js';
import { BudgetLedger } from '../../limits/budget-ledger.js';
import type { AttemptContext, ProviderClient } from '../../ports/provider-client.js';
import { planRoute } from '../../routing/resolve-route.js';
import { FlexibleWindowCounters } from '../limits/flexible-window-counters.js';
import { deploymentLimitedClient } from './deployment-limited-client.js';

const parsed = parseConfigText('providers:\n  sim: { type: simulated, limits: { rpm: 5, tpm: 100000 } }\nmodels:\n  main: { targets: [{ provider: sim, model: echo }] }\n', 'limited.yaml', {});
if (!parsed.config) throw new Error(JSON.stringify(parsed.issues));
const config = parsed.config;
const lookup = createModelLookup({});
const request: CanonicalRequest = { model: 'main', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: true };

/** Two upstream chunks: a text in three events, then the usage. */
const CHUNKS: StreamEvent[][] = [
  [
    { type: 'text-start', blockId: 'b' },
    { type: 'text-delta', blockId: 'b', text: 'hello' },
    { type: 'text-end', blockId: 'b' },
  ],
  [{ type: 'usage', usage: { inputTokens: 7, outputTokens: 3 } }],
];

const inner: ProviderClient = {
  stream: () =>
    eventBatches(() => {
      const queue = [...CHUNKS];
      return { next: () => Promise.resolve(queue.length > 0 ? { done: false, value: queue.shift() as StreamEvent[] } : { done: true, value: undefined }) };
    }),
};

/** The inner client behind the deployment limit, on fresh counters, and the target it serves. */
function limited() {
  const counters = new FlexibleWindowCounters();
  const gate = new AccessGate({ config: () => config, lookup: () => lookup, keys: { find: () => undefined }, counters, ledger: new BudgetLedger(), now: Date.now });
  const target = planRoute('main', config, systemRandom).targets[0];
  if (!target) throw new Error('no target');
  return { counters, gate, target, client: deploymentLimitedClient(inner, gate, () => lookup) };
}

/** An attempt context as the engine gives it, with the settlement the client registers kept for the test to run. */
function attemptContext(requestId: string): { context: AttemptContext; done: () => ((usage: Usage | undefined) => void) | undefined } {
  let registered: ((usage: Usage | undefined) => void) | undefined;
  const context: AttemptContext = {
    signal: new CancelSource(),
    timeouts: DEFAULT_TIMEOUTS,
    requestId,
    whenDone: (settle) => {
      registered = settle;
    },
  };
  return { context, done: () => registered };
}

async function readAll(events: AsyncIterable<StreamEvent>): Promise<(readonly StreamEvent[])[]> {
  const batches = batchesOf(events);
  const read: (readonly StreamEvent[])[] = [];
  for (let result = await batches.next(); !result.done; result = await batches.next()) read.push(result.value);
  return read;
}

describe('deploymentLimitedClient', () => {
  it('passes the inner stream on as it is and settles its token window when the engine says the attempt is over', async () => {
    const { counters, gate, target, client } = limited();
    const { context, done } = attemptContext('r1');
    expect(await readAll(client.stream(request, target, context))).toEqual(CHUNKS);
    const [rpm, tpm] = gate.deploymentBuckets(target);
    if (!rpm || !tpm) throw new Error('no deployment buckets');
    expect(counters.peek(rpm.bucket)).toMatchObject({ remaining: 4 });
    // The estimate is held until the attempt is over, then replaced by the 10 tokens the usage reported.
    expect(counters.peek(tpm.bucket).remaining).toBeLessThan(100000 - 10);
    done()?.({ inputTokens: 7, outputTokens: 3 });
    expect(counters.peek(tpm.bucket)).toMatchObject({ remaining: 100000 - 10 });
  });

  it('gives the whole estimate back when the attempt ends without usage', async () => {
    const { counters, gate, target, client } = limited();
    const { context, done } = attemptContext('r2');
    await readAll(client.stream(request, target, context));
    done()?.(undefined);
    const [, tpm] = gate.deploymentBuckets(target);
    if (!tpm) throw new Error('no token bucket');
    expect(counters.peek(tpm.bucket)).toMatchObject({ remaining: 100000 });
  });

  it('refuses on the first read once the deployment is at its RPM limit, holding nothing for the refused attempt', async () => {
    const { counters, gate, target, client } = limited();
    for (let i = 0; i < 5; i++) await readAll(client.stream(request, target, attemptContext(`ok-${i}`).context));
    const refusedAttempt = attemptContext('refused');
    const failure = await readAll(client.stream(request, target, refusedAttempt.context)).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'rate_limited', message: expect.stringContaining('deployment at its RPM limit') });
    expect(refusedAttempt.done()).toBeUndefined();
    const [rpm] = gate.deploymentBuckets(target);
    if (!rpm) throw new Error('no request bucket');
    expect(counters.peek(rpm.bucket)).toMatchObject({ remaining: 0 });
  });

  it('refuses, as the gateway\'s own failure, a caller that cannot say when its attempt is over', async () => {
    const { counters, gate, target, client } = limited();
    const failure = await readAll(client.stream(request, target, { signal: new CancelSource(), timeouts: DEFAULT_TIMEOUTS, requestId: 'no-hook' })).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'internal_error' });
    const [rpm] = gate.deploymentBuckets(target);
    if (!rpm) throw new Error('no request bucket');
    expect(counters.peek(rpm.bucket)).toMatchObject({ remaining: 5 });
  });
});
