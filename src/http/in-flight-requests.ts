import type { Socket } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { CancelSource, GatewayError } from '../core/index.js';
import { openAIChatDialect } from '../dialects/openai-chat/index.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when the gateway itself ended the request (a timeout, the shutdown deadline): the error it is recorded with. */
    endedBy: GatewayError | undefined;
  }
}

interface Entry {
  reply: FastifyReply;
  /** The handler's cancellation, once a handler runs upstream work for this request. */
  cancel?: CancelSource;
}

/** The requests a server is answering, so a timeout or the shutdown deadline can end them and record why. */
export class InFlightRequests {
  private readonly entries = new Map<FastifyRequest, Entry>();

  /** `record` writes the request-log row of a request ended before any handler ran. */
  constructor(private readonly record: (request: FastifyRequest, reason: GatewayError) => void) {}

  /** Follows a request until its response closes. */
  track(request: FastifyRequest, reply: FastifyReply): void {
    this.entries.set(request, { reply });
    reply.raw.once('close', () => this.entries.delete(request));
  }

  /** Notes the cancellation that stops a request's upstream work. */
  attach(request: FastifyRequest, cancel: CancelSource): void {
    const entry = this.entries.get(request);
    if (entry) entry.cancel = cancel;
  }

  /** The request being received or answered on `socket`, if any. */
  onSocket(socket: Socket): FastifyRequest | undefined {
    for (const request of this.entries.keys()) if (request.raw.socket === socket) return request;
    return undefined;
  }

  get size(): number {
    return this.entries.size;
  }

  /**
   * Ends a request for `reason`. A running handler is cancelled and answers and records it itself; a request whose
   * body is still arriving is recorded and answered here, in its route's error format, and its connection closed.
   */
  end(request: FastifyRequest, reason: GatewayError): void {
    const entry = this.entries.get(request);
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
    for (const request of [...this.entries.keys()]) this.end(request, reason);
  }
}
