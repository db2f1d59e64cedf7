import { describe, expect, it } from 'vitest';
import { CancelSource, seededRandom, systemClock, type StreamEvent } from '../core/index.js';
import { parseConfigText } from '../config/load-config.js';
import { planRoute } from '../routing/resolve-route.js';
import { MemoryStateStore } from '../backends/state/memory-state-store.js';
import type { ProviderClient } from '../ports/provider-client.js';
import { DeploymentBreakers } from './deployment-breakers.js';
import { Engine } from './engine.js';
import { collector } from '../../test/support/young-collections.js';

const CONFIG = `
providers:
  up: { type: simulated }
models:
  plain:
    targets: [{ provider: up, model: long }]
  resumable:
    targets: [{ provider: up, model: long }, { provider: up, model: other }]
    resume_on_stall: true
`;

const DELTAS = 200;
const DELTA_CHARS = 20_000;

/** A provider whose answer is DELTAS distinct text deltas of DELTA_CHARS each, and which ends only when told to. */
function longAnswer(): { client: ProviderClient; end: () => void } {
  let end = (): void => undefined;
  const ended = new Promise<void>((resolve) => (end = resolve));
  const client: ProviderClient = {
    async *stream(): AsyncIterable<StreamEvent> {
      yield { type: 'text-start', blockId: 't' };
      // A new flat string each time: `padEnd` or `repeat` would share one filler among every delta.
      for (let i = 0; i < DELTAS; i++) yield { type: 'text-delta', blockId: 't', text: Buffer.alloc(DELTA_CHARS, 97 + (i % 26)).toString('latin1') };
      await ended;
      yield { type: 'text-end', blockId: 't' };
      yield { type: 'finish', reason: { unified: 'stop' } };
    },
  };
  return { client, end };
}

/** Heap bytes still held, after a full collection, once every delta of a committed stream on `model` was read. */
async function heldAfterReading(model: string): Promise<number> {
  const config = parseConfigText(CONFIG, 'committed.yaml', {}).config;
  if (!config) throw new Error('test config rejected');
  const { client, end } = longAnswer();
  const engine = new Engine({
    clientFor: () => client,
    clock: systemClock,
    random: seededRandom(1),
    breakers: new DeploymentBreakers(new MemoryStateStore(systemClock), systemClock),
  });
  const gc = collector();
  const execution = await engine.execute(
    { model, messages: [{ role: 'user', content: [{ type: 'text', text: 'write a lot' }] }], stream: true },
    planRoute(model, config, seededRandom(1)),
    { requestId: 'long', signal: new CancelSource() },
  );
  const events = execution.events[Symbol.asyncIterator]();
  gc();
  const before = process.memoryUsage().heapUsed;
  let deltas = 0;
  while (deltas < DELTAS) {
    const next = await events.next();
    if (next.done) throw new Error('the stream ended early');
    if (next.value.type === 'text-delta') deltas++;
  }
  gc();
  const held = process.memoryUsage().heapUsed - before;
  end();
  while (!(await events.next()).done);
  return held;
}

describe('a committed stream', () => {
  const answerBytes = DELTAS * DELTA_CHARS;

  it('does not keep the answer it has passed on (under an eighth of it stays) when its route does not resume on stall', async () => {
    expect(await heldAfterReading('plain')).toBeLessThan(answerBytes / 8);
  });

  it('keeps the answer so far when its route resumes on stall, to send it back as the continuation prefix', async () => {
    expect(await heldAfterReading('resumable')).toBeGreaterThan(answerBytes / 2);
  });
});
