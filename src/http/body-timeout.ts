import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../core/index.js';

const BODY_METHODS = new Set(['POST', 'PUT', 'PATCH']);

/** Ends a request whose body goes silent for `timeoutMs` (a slow upload) with 408, recorded like any failure. */
export function registerBodyTimeout(app: FastifyInstance, timeoutMs: number): void {
  app.addHook('preParsing', function watchBody(request, reply, payload, done) {
    if (BODY_METHODS.has(request.method) && !request.raw.complete) {
      request.raw.setTimeout(timeoutMs, () => {
        app.inFlight.end(request, new GatewayError('request_timeout', `Request body stalled: no data for ${timeoutMs} ms (server.body_timeout_ms)`));
      });
    }
    done(null, payload);
  });
  app.addHook('preValidation', function bodyReceived(request, reply, done) {
    if (BODY_METHODS.has(request.method)) request.raw.setTimeout(0);
    done();
  });
}
