import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { CancelSource } from '../core/index.js';
import { dispatchCancellation } from './dispatch-cancellation.js';
import { decodeBody } from './whole-response.js';

/**
 * Bytes queued unread before the upstream socket is paused: what a `Readable` body held by default, so a client that
 * stops reading throttles its provider through TCP flow control at the same point as before.
 */
const HIGH_WATER_BYTES = 64 * 1024;

/** An upstream answer whose body is read as it arrives (a stream), once its status and headers are in. */
export interface StreamedResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  body: StreamedBody;
}

/**
 * An answer's body as undici's dispatch handler delivers it: chunks queued until read, the socket paused while more
 * than HIGH_WATER_BYTES wait. `request()` wraps a body in a `Readable`, whose machinery schedules several
 * `process.nextTick` callbacks and emits per chunk; a stream relayed chunk by chunk only needs the chunks and a wake-up.
 */
export class StreamedBody {
  private readonly chunks: Buffer[] = [];
  private head = 0;
  private queuedBytes = 0;
  private controller: Dispatcher.DispatchController | undefined;
  private listener: (() => void) | undefined;
  /** undefined while the body runs, null once it ended cleanly, else why it failed. */
  private result: Error | null | undefined;
  /** Read whole (`text()`): nothing pauses the socket any more. */
  private whole = false;
  /**
   * Inside `read()`'s resume, which can deliver chunks at once: they are queued without telling the listener, whose
   * reader is the one reading and takes them next (told, it would take them before the chunk being read).
   */
  private resuming = false;

  /** undefined while the body runs, null once it ended cleanly, else why it failed. */
  get outcome(): Error | null | undefined {
    return this.result;
  }

  /** The next chunk received and not yet read, or null when none is waiting. */
  read(): Buffer | null {
    if (this.head === this.chunks.length) return null;
    const chunk = this.chunks[this.head] as Buffer;
    this.head += 1;
    if (this.head === this.chunks.length) {
      this.chunks.length = 0;
      this.head = 0;
    }
    this.queuedBytes -= chunk.length;
    const { controller } = this;
    if (controller?.paused === true && this.queuedBytes < HIGH_WATER_BYTES) {
      this.resuming = true;
      try {
        controller.resume();
      } finally {
        this.resuming = false;
      }
    }
    return chunk;
  }

  /** Calls `listener` whenever a chunk arrives or the body ends (one listener; a second call replaces it). */
  watch(listener: () => void): void {
    this.listener = listener;
  }

  /** Stops calling the listener. */
  unwatch(): void {
    this.listener = undefined;
  }

  /** The rest of the body as text (an error answer's, read whole), a leading byte-order mark dropped. */
  text(): Promise<string> {
    return new Promise<string>((resolve, reject) => {
      const collect = (): void => {
        if (this.result === undefined || this.listener !== collect) return;
        this.unwatch();
        if (this.result !== null) {
          reject(this.result);
          return;
        }
        const rest = this.chunks.slice(this.head);
        this.chunks.length = 0;
        this.head = 0;
        resolve(decodeBody(rest.length === 0 ? [Buffer.alloc(0)] : rest));
      };
      this.whole = true;
      this.watch(collect);
      if (this.controller?.paused === true) this.controller.resume();
      collect();
    });
  }

  /** Drops the connection when the body is still coming (an answer the gateway will not read). */
  discard(reason: Error): void {
    this.unwatch();
    if (this.result === undefined) this.controller?.abort(reason);
  }

  /** @internal The dispatch handler's side. */
  attach(controller: Dispatcher.DispatchController): void {
    this.controller = controller;
  }

  /** @internal */
  push(chunk: Buffer): void {
    this.chunks.push(chunk);
    this.queuedBytes += chunk.length;
    // The listener may read it at once (a waiting reader); only what is left unread counts against the mark.
    if (!this.resuming) this.listener?.();
    if (!this.whole && this.queuedBytes >= HIGH_WATER_BYTES) this.controller?.pause();
  }

  /** @internal */
  end(error: Error | null): void {
    if (this.result !== undefined) return;
    this.result = error;
    if (!this.resuming) this.listener?.();
  }
}

/**
 * Sends a request through undici's dispatch handler and resolves once the answer's status and headers are in; its
 * body then arrives in a StreamedBody. `responded` is told when the headers arrive; cancelling `signal` aborts the
 * request: the promise rejects, or the body ends, with the abort's reason.
 */
export function requestStreamed(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, signal: CancelSource, responded?: () => void): Promise<StreamedResponse> {
  return new Promise<StreamedResponse>((resolve, reject) => {
    const body = new StreamedBody();
    let started = false;
    const cancellation = dispatchCancellation(signal);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        body.attach(controller);
        cancellation.start(controller);
      },
      onResponseStart(_controller, statusCode, headers) {
        // 1xx informational answers come before the real one.
        if (statusCode < 200) return;
        started = true;
        responded?.();
        resolve({ statusCode, headers, body });
      },
      onResponseData(_controller, chunk) {
        body.push(chunk);
      },
      onResponseEnd() {
        cancellation.release();
        body.end(null);
      },
      onResponseError(_controller, error) {
        cancellation.release();
        if (started) body.end(error);
        else reject(error);
      },
    };
    try {
      dispatcher.dispatch(options, handler);
    } catch (error) {
      cancellation.release();
      reject(error);
    }
  });
}
