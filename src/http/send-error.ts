import type { FastifyReply } from 'fastify';
import type { GatewayError } from '../core/index.js';
import type { Dialect } from '../dialects/dialect.js';

/** Sends a GatewayError in the dialect's own error format. */
export function sendError(reply: FastifyReply, error: GatewayError, dialect: Pick<Dialect, 'renderError'>): void {
  const rendered = dialect.renderError(error);
  void reply.code(rendered.status).headers(error.headers ? { ...rendered.headers, ...error.headers } : rendered.headers).send(rendered.body);
}
