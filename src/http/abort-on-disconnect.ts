import type { FastifyReply } from 'fastify';
import { CancelSource, GatewayError } from '../core/index.js';

/** A cancellation that fires when the client goes away before the response is complete, aborting the upstream work. */
export function abortOnDisconnect(reply: FastifyReply): CancelSource {
  const cancel = new CancelSource();
  // A timeout or the shutdown deadline ends the request through the same cancellation.
  reply.server.inFlight.attach(reply.request, cancel);
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) cancel.abort(new GatewayError('client_closed', 'client closed the connection'));
  });
  return cancel;
}
