import type { StreamEvent } from './stream-event.js';

/**
 * A stream of events that can also be read a batch at a time: the events one upstream chunk decoded into. Each layer
 * between the upstream and the client (provider client, attempt, committed stream, the writer) then pays its async
 * step, promise and generator resumption once per chunk instead of once per event. Read it once, either way.
 */
export interface EventBatches extends AsyncIterable<StreamEvent> {
  /** The events in order, grouped as they became available; a batch is never empty. */
  batches(): AsyncIterator<readonly StreamEvent[]>;
}

type Batch = readonly StreamEvent[];

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

function isEventBatches(events: AsyncIterable<StreamEvent>): events is EventBatches {
  return typeof (events as Partial<EventBatches>).batches === 'function';
}

/**
 * The events of any stream as batches: an `EventBatches` gives its own; any other stream (a wrapper that re-yields
 * event by event, a test's generator) gives one event per batch, which keeps it exactly as it was.
 */
export function batchesOf(events: AsyncIterable<StreamEvent>): AsyncIterator<Batch> {
  if (isEventBatches(events)) return events.batches();
  const inner = events[Symbol.asyncIterator]();
  const single = (result: IteratorResult<StreamEvent>): IteratorResult<Batch> => (result.done ? DONE : { done: false, value: [result.value] });
  return {
    next: () => inner.next().then(single),
    return: async (value?: unknown) => {
      if (inner.return) await inner.return(value);
      return DONE;
    },
  };
}

/** A stream whose batches come from `open` (called once, when it is read), also readable event by event. */
export function eventBatches(open: () => AsyncIterator<Batch>): EventBatches {
  return new OpenedBatches(open);
}

/**
 * Any stream's events a batch at a time, for `for await`: one async step per batch (see `batchesOf`). A class, since
 * an object literal with a computed symbol key is built on V8's slow path, once per stream here.
 */
export function inBatches(events: AsyncIterable<StreamEvent>): AsyncIterable<Batch> {
  return new BatchesOf(events);
}

class OpenedBatches implements EventBatches {
  constructor(readonly batches: () => AsyncIterator<Batch>) {}

  [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
    return new FlattenedBatches(this.batches());
  }
}

class BatchesOf implements AsyncIterable<Batch> {
  constructor(private readonly events: AsyncIterable<StreamEvent>) {}

  [Symbol.asyncIterator](): AsyncIterator<Batch> {
    return batchesOf(this.events);
  }
}

/** Reads batches event by event, for a caller that takes one event at a time. */
class FlattenedBatches implements AsyncIterator<StreamEvent> {
  private batch: Batch = [];
  private index = 0;

  constructor(private readonly source: AsyncIterator<Batch>) {}

  next(): Promise<IteratorResult<StreamEvent>> {
    const event = this.batch[this.index];
    if (event !== undefined) {
      this.index++;
      return Promise.resolve({ done: false, value: event });
    }
    return this.pull();
  }

  async return(value?: unknown): Promise<IteratorResult<StreamEvent>> {
    this.batch = [];
    if (this.source.return) await this.source.return(value);
    return DONE;
  }

  private async pull(): Promise<IteratorResult<StreamEvent>> {
    for (;;) {
      const result = await this.source.next();
      if (result.done) return DONE;
      const [first] = result.value;
      if (first === undefined) continue;
      this.batch = result.value;
      this.index = 1;
      return { done: false, value: first };
    }
  }
}
