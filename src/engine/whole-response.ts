import type { IncomingHttpHeaders } from 'node:http';
import type { Dispatcher } from 'undici';
import type { CancelSource } from '../core/index.js';
import { dispatchCancellation } from './dispatch-cancellation.js';

/** An upstream answer read to its end. */
export interface WholeResponse {
  statusCode: number;
  headers: IncomingHttpHeaders;
  /** The body as UTF-8 text, as undici's `body.text()` gives it (a leading byte-order mark dropped). */
  text: string;
}

/** The body's text: UTF-8 with invalid sequences replaced, a leading byte-order mark dropped, as `body.text()` does. */
export function decodeBody(chunks: readonly Buffer[]): string {
  const bytes = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks);
  const start = bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  return bytes.toString('utf8', start);
}

/**
 * Sends a request and reads its whole answer through undici's dispatch handler. `request()` wraps every answer in a
 * `Readable` whose machinery schedules about nine `process.nextTick` callbacks to read a body this size; an answer
 * wanted whole (JSON, embeddings, an error) only needs its chunks. `responded` is told when the headers arrive;
 * cancelling `signal` aborts the request, and the promise then rejects with the abort's reason.
 */
export function requestWhole(dispatcher: Dispatcher, options: Dispatcher.DispatchOptions, signal: CancelSource, responded?: () => void): Promise<WholeResponse> {
  return new Promise<WholeResponse>((resolve, reject) => {
    const chunks: Buffer[] = [];
    let statusCode = 0;
    let headers: IncomingHttpHeaders = {};
    const cancellation = dispatchCancellation(signal);
    const handler: Dispatcher.DispatchHandler = {
      onRequestStart(controller) {
        cancellation.start(controller);
      },
      onResponseStart(_controller, code, received) {
        // 1xx informational answers come before the real one.
        if (code < 200) return;
        statusCode = code;
        headers = received;
        responded?.();
      },
      onResponseData(_controller, chunk) {
        chunks.push(chunk);
      },
      onResponseEnd() {
        cancellation.release();
        resolve({ statusCode, headers, text: decodeBody(chunks) });
      },
      onResponseError(_controller, error) {
        cancellation.release();
        reject(error);
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
