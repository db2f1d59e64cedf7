import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import type { Clock, StreamEvent } from '../core/index.js';
import type { StreamDecoder } from '../providers/provider-adapter.js';

type Batch = readonly StreamEvent[];

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/** Where an SSE reader adds the time it waited for the upstream, and how it words a transport failure. */
export interface SseReading {
  clock: Clock;
  /** Adds milliseconds spent waiting for the next chunk. */
  waited(ms: number): void;
  /** The GatewayError a failed read becomes. */
  failure(error: unknown): unknown;
}

/**
 * An upstream SSE body decoded one batch per chunk: the events its messages decoded into, and what the decoder let go
 * after it; a chunk without a whole message reads on. A bare iterator rather than an async generator: one `then` on
 * the body per chunk. Closing it early leaves the body to the attempt's abort, as a suspended generator did.
 */
export class SseBatches implements AsyncIterator<Batch> {
  private pending: StreamEvent[] = [];
  private readonly parser: EventSourceParser;
  private readonly text = new TextDecoder();
  private readonly chunks: AsyncIterator<Buffer>;
  private ended = false;
  private waitStarted = 0;

  constructor(
    body: AsyncIterable<Buffer>,
    private readonly decoder: StreamDecoder,
    private readonly reading: SseReading,
  ) {
    this.chunks = body[Symbol.asyncIterator]();
    this.parser = createParser({
      onEvent: (message: EventSourceMessage) => {
        const decoded = decoder.push({ event: message.event, data: message.data, id: message.id });
        if (decoded.length > 0) this.pending = this.pending.length === 0 ? decoded : this.pending.concat(decoded);
      },
    });
  }

  next(): Promise<IteratorResult<Batch>> {
    if (this.ended) return Promise.resolve(DONE);
    this.waitStarted = this.reading.clock.now();
    return this.chunks.next().then(this.received, this.failed);
  }

  return(): Promise<IteratorResult<Batch>> {
    this.ended = true;
    return Promise.resolve(DONE);
  }

  private readonly received = (chunk: IteratorResult<Buffer>): IteratorResult<Batch> | Promise<IteratorResult<Batch>> => {
    this.reading.waited(this.reading.clock.now() - this.waitStarted);
    if (chunk.done) {
      this.ended = true;
      const closing = this.decoder.end();
      return closing.length > 0 ? { done: false, value: closing } : DONE;
    }
    this.parser.feed(this.text.decode(chunk.value, { stream: true }));
    const held = this.decoder.flush?.();
    if (held !== undefined && held.length > 0) this.pending = this.pending.length === 0 ? held : this.pending.concat(held);
    if (this.pending.length === 0) return this.next();
    const ready = this.pending;
    this.pending = [];
    return { done: false, value: ready };
  };

  private readonly failed = (error: unknown): never => {
    this.reading.waited(this.reading.clock.now() - this.waitStarted);
    this.ended = true;
    throw this.reading.failure(error);
  };
}

/**
 * Batches known at once (translation warnings, a whole JSON answer's events), then those of `rest` if any; empty
 * batches are skipped.
 */
export class ListedBatches implements AsyncIterator<Batch> {
  private index = 0;

  constructor(
    private readonly first: readonly Batch[],
    private readonly rest?: AsyncIterator<Batch>,
  ) {}

  next(): Promise<IteratorResult<Batch>> {
    while (this.index < this.first.length) {
      const batch = this.first[this.index++];
      if (batch !== undefined && batch.length > 0) return Promise.resolve({ done: false, value: batch });
    }
    return this.rest ? this.rest.next() : Promise.resolve(DONE);
  }

  return(): Promise<IteratorResult<Batch>> {
    this.index = this.first.length;
    return this.rest?.return?.() ?? Promise.resolve(DONE);
  }
}

/**
 * Makes the upstream call on the first read, then hands every read straight to the batches it opened: no generator
 * layer between the body and the attempt.
 */
export class OpeningBatches implements AsyncIterator<Batch> {
  private opened: AsyncIterator<Batch> | undefined;
  private closed = false;

  constructor(private readonly open: () => Promise<AsyncIterator<Batch>>) {}

  next(): Promise<IteratorResult<Batch>> {
    if (this.opened) return this.opened.next();
    if (this.closed) return Promise.resolve(DONE);
    return this.open().then((opened) => {
      this.opened = opened;
      return this.closed ? DONE : opened.next();
    });
  }

  return(): Promise<IteratorResult<Batch>> {
    this.closed = true;
    return this.opened?.return?.() ?? Promise.resolve(DONE);
  }
}
