import { createParser, type EventSourceMessage, type EventSourceParser } from 'eventsource-parser';
import { StringDecoder } from 'node:string_decoder';
import { isContentEvent, type Clock, type StreamEvent } from '../core/index.js';
import type { StreamDecoder } from '../providers/provider-adapter.js';
import type { StreamedBody } from './streamed-response.js';

type Batch = readonly StreamEvent[];

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

const BYTE_ORDER_MARK = 0xfeff;

/** Where an SSE reader adds the time it waited for the upstream, and how it words a transport failure. */
export interface SseReading {
  clock: Clock;
  /** Adds milliseconds spent waiting for the next chunk. */
  waited(ms: number): void;
  /** The GatewayError a failed read becomes. */
  failure(error: unknown): Error;
}

/**
 * An upstream SSE body decoded one batch per chunk: the events its messages decoded into, and what the decoder let go
 * after it; a chunk without a whole message reads on. Until the first content has gone out, a chunk is parsed a
 * message at a time and handed out as soon as it holds content: the first token leaves without waiting for the rest
 * of its chunk (a fast upstream sends the first token and many more in one chunk). A bare iterator over the body's own
 * `read()` rather than async generators: a chunk already buffered costs no promise, and waiting for the next costs one.
 * Failures are the transport's (undici's error for the request). Closing it early leaves the body to the attempt's
 * abort, as a suspended generator did.
 */
export class SseBatches implements AsyncIterator<Batch> {
  private pending: StreamEvent[] = [];
  /** Decoded text not yet parsed: the rest of a chunk whose first content went out ahead of it. */
  private rest = '';
  private contentReached = false;
  private readonly parser: EventSourceParser;
  /** A StringDecoder, not a TextDecoder: the latter's streaming mode took ~20 us for a 13 KB chunk, this ~2 us. */
  private readonly text = new StringDecoder('utf8');
  private firstText = true;
  /** The read waiting for the body, answered when a chunk or the end arrives. */
  private waiter: { resolve(result: IteratorResult<Batch>): void; reject(error: Error): void } | undefined;
  private ended = false;
  private waitStarted = 0;

  constructor(
    private readonly body: StreamedBody,
    private readonly decoder: StreamDecoder,
    private readonly reading: SseReading,
  ) {
    this.parser = createParser({
      onEvent: (message: EventSourceMessage) => {
        const decoded = decoder.push({ event: message.event, data: message.data, id: message.id });
        if (decoded.length > 0) this.pending = this.pending.length === 0 ? decoded : this.pending.concat(decoded);
      },
    });
    body.watch(this.woken);
  }

  next(): Promise<IteratorResult<Batch>> {
    if (this.ended) return Promise.resolve(DONE);
    this.waitStarted = this.reading.clock.now();
    return this.pull();
  }

  return(): Promise<IteratorResult<Batch>> {
    this.stop();
    return Promise.resolve(DONE);
  }

  /** Decodes what the body holds until a batch is ready; waits for the body only when it holds nothing. */
  private pull(): Promise<IteratorResult<Batch>> {
    const ready = this.take();
    if (ready !== undefined) return ready instanceof Error ? Promise.reject(ready) : Promise.resolve(ready);
    return new Promise<IteratorResult<Batch>>((resolve, reject) => {
      this.waiter = { resolve, reject };
    });
  }

  /**
   * The next result from what the body holds: a batch, the end, or the failure to reject with; undefined while a
   * batch still needs more of the body.
   */
  private take(): IteratorResult<Batch> | Error | undefined {
    for (;;) {
      let text = this.rest;
      this.rest = '';
      if (text === '') {
        const chunk = this.body.read();
        if (chunk === null) break;
        text = this.decode(chunk);
      }
      if (this.contentReached) this.feed(text);
      else this.rest = this.feedToContent(text);
      if (this.pending.length > 0) {
        this.waited();
        const ready = this.pending;
        this.pending = [];
        return { done: false, value: ready };
      }
    }
    const { outcome } = this.body;
    if (outcome === undefined) return undefined;
    this.waited();
    this.stop();
    if (outcome !== null) return this.reading.failure(outcome);
    const closing = this.decoder.end();
    return closing.length > 0 ? { done: false, value: closing } : DONE;
  }

  /** The chunk's text; a byte order mark opening the body is dropped, as a TextDecoder drops it. */
  private decode(chunk: Buffer): string {
    const text = this.text.write(chunk);
    if (!this.firstText || text === '') return text;
    this.firstText = false;
    return text.charCodeAt(0) === BYTE_ORDER_MARK ? text.slice(1) : text;
  }

  /** Parses text and takes what the decoder lets go after it. */
  private feed(text: string): void {
    this.parser.feed(text);
    const held = this.decoder.flush?.();
    if (held !== undefined && held.length > 0) this.pending = this.pending.length === 0 ? held : this.pending.concat(held);
  }

  /** Parses text a message at a time until the events hold content; returns the text left unparsed. */
  private feedToContent(text: string): string {
    let at = 0;
    while (at < text.length) {
      const end = messageEnd(text, at);
      this.feed(text.slice(at, end));
      at = end;
      if (this.pending.some(isContentEvent)) {
        this.contentReached = true;
        return text.slice(at);
      }
    }
    return '';
  }

  /**
   * The body received a chunk or ended: a waiting read is answered from here, in the transport's callback, rather than
   * woken to decode on a later tick (a promise and its `then` fewer per chunk).
   */
  private readonly woken = (): void => {
    const { waiter } = this;
    if (!waiter) return;
    let ready: IteratorResult<Batch> | Error | undefined;
    try {
      ready = this.take();
    } catch (error) {
      ready = error instanceof Error ? error : new Error(String(error));
    }
    if (ready === undefined) return;
    this.waiter = undefined;
    if (ready instanceof Error) waiter.reject(ready);
    else waiter.resolve(ready);
  };

  private waited(): void {
    this.reading.waited(this.reading.clock.now() - this.waitStarted);
  }

  private stop(): void {
    this.ended = true;
    this.body.unwatch();
  }
}

/** Just past the blank line that ends the SSE message starting at `from`, or the text's end when none does. */
function messageEnd(text: string, from: number): number {
  const lf = text.indexOf('\n\n', from);
  const crlf = text.indexOf('\r\n\r\n', from);
  if (lf === -1 && crlf === -1) return text.length;
  return crlf === -1 || (lf !== -1 && lf < crlf) ? lf + 2 : crlf + 4;
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
