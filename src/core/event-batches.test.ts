import { describe, expect, it } from 'vitest';
import { batchesOf, eventBatches } from './event-batches.js';
import type { StreamEvent } from './stream-event.js';

const delta = (text: string): StreamEvent => ({ type: 'text-delta', blockId: '0', text });

/** A batch source that records whether it was closed early. */
function source(batches: StreamEvent[][]): { open: () => AsyncIterator<readonly StreamEvent[]>; closed: () => boolean } {
  let closed = false;
  return {
    open: () => {
      const inner = (async function* () {
        try {
          yield* batches;
        } finally {
          closed = true;
        }
      })();
      return inner;
    },
    closed: () => closed,
  };
}

async function all<T>(iterable: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of iterable) out.push(item);
  return out;
}

describe('event batches', () => {
  it('reads event by event in order, skipping empty batches', async () => {
    const { open } = source([[delta('a'), delta('b')], [], [delta('c')]]);
    expect(await all(eventBatches(open))).toEqual([delta('a'), delta('b'), delta('c')]);
  });

  it('gives its own batches to batchesOf', async () => {
    const { open } = source([[delta('a'), delta('b')], [delta('c')]]);
    const batches = batchesOf(eventBatches(open));
    expect(await all({ [Symbol.asyncIterator]: () => batches })).toEqual([[delta('a'), delta('b')], [delta('c')]]);
  });

  it('gives any other stream one event per batch', async () => {
    const plain = (async function* () {
      yield delta('a');
      yield delta('b');
    })();
    const batches = batchesOf(plain);
    expect(await all({ [Symbol.asyncIterator]: () => batches })).toEqual([[delta('a')], [delta('b')]]);
  });

  it('closes the source when the reader stops early, either way', async () => {
    const byEvent = source([[delta('a'), delta('b')], [delta('c')]]);
    for await (const event of eventBatches(byEvent.open)) {
      expect(event).toEqual(delta('a'));
      break;
    }
    expect(byEvent.closed()).toBe(true);
    const plainClosed = { value: false };
    const plain = (async function* () {
      try {
        yield delta('a');
        yield delta('b');
      } finally {
        plainClosed.value = true;
      }
    })();
    const batches = batchesOf(plain);
    await batches.next();
    await batches.return?.();
    expect(plainClosed.value).toBe(true);
  });

  it('passes a failure of the source to the reader', async () => {
    const failing = eventBatches(() =>
      (async function* () {
        yield [delta('a')];
        throw new Error('upstream reset');
      })(),
    );
    const seen: StreamEvent[] = [];
    await expect(
      (async () => {
        for await (const event of failing) seen.push(event);
      })(),
    ).rejects.toThrow('upstream reset');
    expect(seen).toEqual([delta('a')]);
  });
});
