import type { IncomingHttpHeaders } from 'node:http';
import type { FastifyInstance } from 'fastify';

/** The API formats a gateway-own endpoint (feedback) can answer errors in besides OpenAI's. */
export type ClientFormat = 'anthropic' | 'gemini';

/** Which SDK sent a request, by the headers each always sends: `anthropic-version`, `x-goog-api-key`/`x-goog-api-client`. */
function clientFormatOf(headers: IncomingHttpHeaders): ClientFormat | undefined {
  if (headers['anthropic-version'] !== undefined) return 'anthropic';
  if (headers['x-goog-api-key'] !== undefined || headers['x-goog-api-client'] !== undefined) return 'gemini';
  return undefined;
}

/**
 * A route constraint `clientFormat`: a route registered with `constraints: { clientFormat: 'anthropic' }` serves the
 * requests that SDK sent, and one without the constraint serves the rest. Matching happens before any hook runs, so
 * every error of the request (auth, content type, body parse, validation) renders in the client's own format.
 */
export function registerClientFormatConstraint(app: FastifyInstance): void {
  type Store = ReturnType<Parameters<FastifyInstance['addConstraintStrategy']>[0]['storage']>;
  type Handler = NonNullable<ReturnType<Store['get']>>;
  app.addConstraintStrategy({
    name: 'clientFormat',
    storage() {
      const handlers = new Map<unknown, Handler>();
      return {
        get: (format: unknown) => handlers.get(format) ?? null,
        set: (format: unknown, handler: Handler) => void handlers.set(format, handler),
      };
    },
    deriveConstraint: (request: { headers: IncomingHttpHeaders }) => clientFormatOf(request.headers),
  });
}
