import { describe, expect, it } from 'vitest';
import { batchesOf, CancelSource, eventBatches, GatewayError, seededRandom, systemClock, type CanonicalRequest, type StreamEvent } from '../core/index.js';
import { parseConfigText } from '../config/load-config.js';
import type { ProviderClient } from '../ports/provider-client.js';
import { planRoute } from '../routing/resolve-route.js';
import { MemoryStateStore } from '../backends/state/memory-state-store.js';
import { DeploymentBreakers } from './deployment-breakers.js';
import { Engine } from './engine.js';

// One upstream chunk's events travel the attempt and the committed stream as one batch; what the client receives,
// event by event, is what it received when every layer passed events on one at a time.

const config = parseConfigText('providers:\n  sim: { type: simulated }\n', 'batched.yaml', {}).config!;

const start: StreamEvent = { type: 'response-start', id: 'r1' };
const textStart: StreamEvent = { type: 'text-start', blockId: '0' };
const delta = (text: string): StreamEvent => ({ type: 'text-delta', blockId: '0', text });
const midStreamFailure: StreamEvent = { type: 'error', error: new GatewayError('upstream_server_error', 'sim: broke mid-stream', { provider: 'sim' }) };

/** A client whose stream delivers `chunks` as batches, or (`byEvent`) the same events one at a time. */
function clientOf(chunks: StreamEvent[][], byEvent = false): ProviderClient {
  return {
    stream: () =>
      byEvent
        ? (async function* () {
            for (const chunk of chunks) yield* chunk;
          })()
        : eventBatches(() =>
            (async function* () {
              yield* chunks;
            })(),
          ),
  };
}

function engineFor(client: ProviderClient): Engine {
  return new Engine({ clientFor: () => client, clock: systemClock, random: seededRandom(7), breakers: new DeploymentBreakers(new MemoryStateStore(systemClock), systemClock) });
}

const request: CanonicalRequest = { model: 'sim/echo', messages: [{ role: 'user', content: [{ type: 'text', text: 'hi' }] }], stream: true };

async function received(client: ProviderClient): Promise<{ batches: (readonly StreamEvent[])[]; outcomes: string[] }> {
  const execution = await engineFor(client).execute(request, planRoute('sim/echo', config, seededRandom(1)), { requestId: 't', signal: new CancelSource() });
  const batches: (readonly StreamEvent[])[] = [];
  const iterator = batchesOf(execution.events);
  for (let result = await iterator.next(); !result.done; result = await iterator.next()) batches.push(result.value);
  return { batches, outcomes: execution.attempts.map((attempt) => attempt.outcome) };
}

describe('batched attempt pipeline', () => {
  const chunks = [[start, textStart, delta('a'), delta('b')], [delta('c'), delta('d'), midStreamFailure, delta('never')]];

  it('delivers the events of a chunk together, and the same events as event by event', async () => {
    const batched = await received(clientOf(chunks));
    const single = await received(clientOf(chunks, true));
    expect(batched.batches.flat()).toEqual(single.batches.flat());
    // The attempt reads the first chunk up to its first content; the committed stream sends the chunk whole.
    expect(batched.batches.slice(0, 2)).toEqual([[start, textStart, delta('a'), delta('b')], [delta('c'), delta('d')]]);
    expect(single.batches.length).toBeGreaterThan(batched.batches.length);
  });

  it('ends a chunk at its error event: nothing after it reaches the client, the failure is on the record', async () => {
    const { batches, outcomes } = await received(clientOf(chunks));
    const events = batches.flat();
    expect(events.map((event) => (event.type === 'text-delta' ? event.text : event.type))).toEqual(['response-start', 'text-start', 'a', 'b', 'c', 'd', 'error']);
    expect(outcomes).toEqual(['upstream_server_error']);
  });

  it('closes the attempt when the reader stops before the end, which aborts the upstream call', async () => {
    let signal: CancelSource | undefined;
    const client: ProviderClient = {
      stream: (_request, _target, context) => {
        signal = context.signal;
        return clientOf([[start, textStart, delta('a')], [delta('b')], [delta('c')]]).stream(_request, _target, context);
      },
    };
    const execution = await engineFor(client).execute(request, planRoute('sim/echo', config, seededRandom(1)), { requestId: 't', signal: new CancelSource() });
    for await (const event of execution.events) if (event.type === 'text-delta') break;
    expect(signal?.aborted).toBe(true);
    expect(execution.attempts.map((attempt) => attempt.outcome)).toEqual(['ok']);
  });
});
