import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError, checkJsonLimits, type InputLimits } from '../core/index.js';

// `application/json` and structured-syntax variants (`application/vnd.x+json`), any parameters.
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * Parses `application/json` bodies, turning syntax errors into the gateway's `invalid_json` error and over-deep or
 * over-long input into the limit's error, so each dialect can render them in its own format. Any other content type
 * is a 415: a web page can send `text/plain` or a form cross-site without a CORS preflight, but not JSON.
 */
export function registerJsonBodyParser(app: FastifyInstance, limits: () => InputLimits): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'string' }, function parseJsonBody(_request: FastifyRequest, body: string | Buffer, done) {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') {
      done(new GatewayError('invalid_json', 'Request body is empty; expected a JSON object'), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      done(new GatewayError('invalid_json', `Request body is not valid JSON: ${(error as Error).message}`), undefined);
      return;
    }
    try {
      checkJsonLimits(parsed, limits());
    } catch (error) {
      done(error as GatewayError, undefined);
      return;
    }
    done(null, parsed);
  });
  app.addContentTypeParser('*', function rejectNonJsonBody(request: FastifyRequest, _payload, done) {
    const given = request.headers['content-type'];
    const described = given === undefined ? 'A request body without a Content-Type' : `Content-Type ${JSON.stringify(given.slice(0, 100))}`;
    done(new GatewayError('unsupported_media_type', `${described} is not accepted; send the body as application/json`), undefined);
  });
}
