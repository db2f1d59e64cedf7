import type { FastifyInstance, FastifyRequest } from 'fastify';
import { GatewayError, checkJsonLimits, type InputLimits } from '../core/index.js';
import { jsonBodyText, type JsonBodyText } from './json-body-text.js';

declare module 'fastify' {
  interface FastifyRequest {
    /**
     * The JSON body's bytes as received, and the number of object keys parsed from them at any depth; only when they are
     * valid UTF-8 (so they say what the parsed body says) and at least `MIN_KEPT_JSON_BYTES` long.
     */
    jsonBytes: { bytes: Buffer; keys: number } | undefined;
  }
}

/**
 * Bodies shorter than this are not kept: Node allocates them as slices of a shared 8 KB slab (`Buffer.poolSize`), so
 * keeping one for the request's life would hold the whole slab, and serialising a short body again costs little.
 */
export const MIN_KEPT_JSON_BYTES = Buffer.poolSize >>> 1;

// `application/json` and structured-syntax variants (`application/vnd.x+json`), any parameters.
const JSON_MEDIA_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/**
 * Parses `application/json` bodies, keeping their bytes for a same-format upstream (sent on with the model replaced), turning syntax errors into the gateway's `invalid_json` error and over-deep or
 * over-long input into the limit's error, so each dialect can render them in its own format. Any other content type
 * is a 415: a web page can send `text/plain` or a form cross-site without a CORS preflight, but not JSON.
 */
export function registerJsonBodyParser(app: FastifyInstance, limits: () => InputLimits): void {
  app.removeAllContentTypeParsers();
  app.decorateRequest('jsonBytes', undefined);
  app.addContentTypeParser(JSON_MEDIA_TYPE, { parseAs: 'buffer' }, function parseJsonBody(request: FastifyRequest, body: string | Buffer, done) {
    const decoded = typeof body === 'string' ? { text: body, validUtf8: false, escaped: false } : jsonBodyText(body);
    if (decoded.text.trim() === '') {
      done(new GatewayError('invalid_json', 'Request body is empty; expected a JSON object'), undefined);
      return;
    }
    let parsed: unknown;
    try {
      parsed = parseText(decoded, body);
    } catch (error) {
      done(new GatewayError('invalid_json', `Request body is not valid JSON: ${(error as Error).message}`), undefined);
      return;
    }
    let keys: number;
    try {
      keys = checkJsonLimits(parsed, limits());
    } catch (error) {
      done(error as GatewayError, undefined);
      return;
    }
    // Invalid UTF-8 was read as U+FFFD: the parsed body, not the bytes, says what the gateway understood.
    if (typeof body !== 'string' && body.length >= MIN_KEPT_JSON_BYTES && decoded.validUtf8) request.jsonBytes = { bytes: body, keys };
    done(null, parsed);
  });
  app.addContentTypeParser('*', function rejectNonJsonBody(request: FastifyRequest, _payload, done) {
    const given = request.headers['content-type'];
    const described = given === undefined ? 'A request body without a Content-Type' : `Content-Type ${JSON.stringify(given.slice(0, 100))}`;
    done(new GatewayError('unsupported_media_type', `${described} is not accepted; send the body as application/json`), undefined);
  });
}

/** Parses the body's text; a fault in escaped text is reported from the text as sent, whose error quotes it. */
function parseText(decoded: JsonBodyText, body: string | Buffer): unknown {
  try {
    return JSON.parse(decoded.text);
  } catch (error) {
    if (!decoded.escaped) throw error;
    return JSON.parse(body.toString('utf8'));
  }
}
