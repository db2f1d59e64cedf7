import type { FastifyReply } from 'fastify';
import { CancelSource, GatewayError } from '../core/index.js';

/** A cancellation that fires when the client goes away before the response is complete, aborting the upstream work. */
export function abortOnDisconnect(reply: FastifyReply): CancelSource {
  const cancel = new CancelSource();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) cancel.abort(new GatewayError('client_closed', 'client closed the connection'));
  });
  return cancel;
}
