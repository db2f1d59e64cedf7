import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CancelSource, GatewayError } from '../core/index.js';
import { openAIChatDialect } from '../dialects/openai-chat/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the gateway itself ended the request (a timeout, the shutdown deadline): the error it is recorded with. */
    endedBy: GatewayError | undefined;
    /** The request's place among those in flight, while it is. */
    flight: FlightEntry | undefined;
  }
}

/** One request in flight: a link in the server's list of them. */
export interface FlightEntry {
  request: FastifyRequest;
  reply: FastifyReply;
  /** The handler's cancellation, once a handler runs upstream work for this request. */
  cancel: CancelSource | undefined;
  previous: FlightEntry | undefined;
  next: FlightEntry | undefined;
}

/**
 * The requests a server is answering, so a timeout or the shutdown deadline can end them and record why.
 *
 * Kept as a list linked through the entries, not a Map keyed by request: a Map's table is long-lived, so it sits in
 * the old generation, and each time it is rebuilt the discarded table still points at the requests it held. The young
 * generation's collector treats every old object as alive, so those requests and everything they reach (their
 * bodies, headers, responses) were copied and then promoted, about 1 MB per scavenge at the bench's load, until the
 * next full collection. An entry that leaves the list drops its links, so a finished request is reachable from
 * nothing old.
 */
export class InFlightRequests {
  private first: FlightEntry | undefined;
  private last: FlightEntry | undefined;
  private count = 0;

  /** `record` writes the request-log row of a request ended before any handler ran. */
  constructor(private readonly record: (request: FastifyRequest, reason: GatewayError) => void) {}

  /** Follows a request until its response closes. */
  track(request: FastifyRequest, reply: FastifyReply): void {
    const entry: FlightEntry = { request, reply, cancel: undefined, previous: this.last, next: undefined };
    if (this.last) this.last.next = entry;
    else this.first = entry;
    this.last = entry;
    this.count += 1;
    request.flight = entry;
    reply.raw.once('close', () => this.untrack(entry));
  }

  private untrack(entry: FlightEntry): void {
    const { previous, next } = entry;
    if (previous) previous.next = next;
    else this.first = next;
    if (next) next.previous = previous;
    else this.last = previous;
    entry.previous = undefined;
    entry.next = undefined;
    entry.cancel = undefined;
    if (entry.request.flight === entry) entry.request.flight = undefined;
    this.count -= 1;
  }

  /** Notes the cancellation that stops a request's upstream work. */
  attach(request: FastifyRequest, cancel: CancelSource): void {
    if (request.flight) request.flight.cancel = cancel;
  }

  /** The request being received or answered on `socket`, if any. */
  onSocket(socket: Socket): FastifyRequest | undefined {
    for (let entry = this.first; entry; entry = entry.next) if (entry.request.raw.socket === socket) return entry.request;
    return undefined;
  }

  get size(): number {
    return this.count;
  }

  /**
   * Ends a request for `reason`. A running handler is cancelled and answers and records it itself; a request whose
   * body is still arriving is recorded and answered here, in its route's error format, and its connection closed.
   */
  end(request: FastifyRequest, reason: GatewayError): void {
    const entry = request.flight;
    if (!entry) return;
    request.endedBy = reason;
    if (entry.cancel) {
      entry.cancel.abort(reason);
      return;
    }
    this.record(request, reason);
    const res = entry.reply.raw;
    const socket = request.raw.socket;
    if (res.headersSent) {
      socket.destroy();
      return;
    }
    const rendered = (request.routeOptions.config.dialect ?? openAIChatDialect).renderError(reason);
    const body = typeof rendered.body === 'string' ? rendered.body : JSON.stringify(rendered.body);
    res.writeHead(rendered.status, { 'content-type': 'application/json', ...rendered.headers, connection: 'close' });
    res.end(body, () => socket.destroy());
  }

  /** Ends every request still running (the shutdown deadline). */
  endAll(reason: GatewayError): void {
    const requests: FastifyRequest[] = [];
    for (let entry = this.first; entry; entry = entry.next) requests.push(entry.request);
    for (const request of requests) this.end(request, reason);
  }
}
