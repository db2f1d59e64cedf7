import { describe, expect, it } from 'vitest';
import { createModelLookup } from '../../catalog/index.js';
import { DEFAULT_TIMEOUTS } from '../../config/gateway-config.js';
import { parseConfigText } from '../../config/load-config.js';
import { CancelSource, batchesOf, eventBatches, systemRandom, type CanonicalRequest, type StreamEvent } from '../../core/index.js';
import { AccessGate } from '../../limits/access-gate.js';
import { BudgetLedger } from '../../limits/budget-ledger.js';
import type { ProviderClient } from '../../ports/provider-client.js';
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

describe('deploymentLimitedClient', () => {
  it('passes the inner stream on a chunk at a time and settles its token window with the usage', async () => {
    const { counters, gate, target, client } = limited();
    const batches = batchesOf(client.stream(request, target, { signal: new CancelSource(), timeouts: DEFAULT_TIMEOUTS, requestId: 'r1' }));
    const read: (readonly StreamEvent[])[] = [];
    for (let result = await batches.next(); !result.done; result = await batches.next()) read.push(result.value);
    expect(read).toEqual(CHUNKS);
    const [rpm, tpm] = gate.deploymentBuckets(target);
    if (!rpm || !tpm) throw new Error('no deployment buckets');
    expect(counters.peek(rpm.bucket)).toMatchObject({ remaining: 4 });
    // The estimate was reserved before the call and replaced by the 10 tokens the usage reported.
    expect(counters.peek(tpm.bucket)).toMatchObject({ remaining: 100000 - 10 });
  });

  it('reads event by event too, and gives the whole estimate back when the reader stops before any usage', async () => {
    const { counters, gate, target, client } = limited();
    const read: StreamEvent[] = [];
    for await (const event of client.stream(request, target, { signal: new CancelSource(), timeouts: DEFAULT_TIMEOUTS, requestId: 'r2' })) {
      read.push(event);
      if (read.length === 2) break;
    }
    expect(read).toEqual(CHUNKS[0]?.slice(0, 2));
    const [, tpm] = gate.deploymentBuckets(target);
    if (!tpm) throw new Error('no token bucket');
    expect(counters.peek(tpm.bucket)).toMatchObject({ remaining: 100000 });
  });
});
