import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError } from '../core/index.js';

/**
 * Parses every request body as JSON whatever its content type (curl sends form encoding by default), turning syntax
 * errors into the gateway's `invalid_json` error so each dialect can render it in its own format.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'string' }, function parseJsonBody(_request: FastifyRequest, body: string | Buffer, done) {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(new GatewayError('invalid_json', 'Request body is empty; expected a JSON object'), undefined);
      return;
    }
    try {
      done(null, JSON.parse(text));
    } catch (error) {
      done(new GatewayError('invalid_json', `Request body is not valid JSON: ${(error as Error).message}`), undefined);
    }
  });
}
