import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { GatewayError, toGatewayError } from '../core/index.js';
import type { GatewayRuntime } from '../app/gateway.js';
import type { Dialect } from '../dialects/dialect.js';
import { openAIChatDialect } from '../dialects/openai-chat/index.js';
import { registerJsonBodyParser } from './json-body.js';
import { RequestRecorder } from './request-record.js';
import { clientRequestId, generateRequestId } from './request-id.js';
import { registerAdminRoutes } from './routes/admin-routes.js';
import { registerAnthropicRoutes } from './routes/anthropic-routes.js';
import { registerGeminiRoutes } from './routes/gemini-routes.js';
import { registerOpenAIRoutes } from './routes/openai-routes.js';
import { registerSystemRoutes } from './routes/system-routes.js';
import { sendError } from './send-error.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The dialect whose error format this route's failures use. */
    dialect?: Dialect;
  }
  interface FastifyRequest {
    /** When the request arrived, on the runtime clock: the start of `x-switchyard-overhead-ms`. */
    arrivedAt: number;
  }
}

function fromFastifyError(error: FastifyError, bodyLimit: number): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
    return new GatewayError('request_too_large', `Request body exceeds the limit of ${bodyLimit} bytes`);
  }
  if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
    return new GatewayError('invalid_request', error.message);
  }
  return toGatewayError(error);
}

/** Builds the HTTP server: every route, body parsing, request ids, and errors rendered in each route's dialect. */
export function buildServer(runtime: GatewayRuntime): FastifyInstance {
  const bodyLimit = runtime.config.server.bodyLimitBytes;
  const app = Fastify({
    loggerInstance: runtime.logger as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit,
    genReqId: generateRequestId,
    // Requests log through the runtime logger with explicit ids; a pino child per request (and its redaction setup)
    // would cost more than the whole translation.
    childLoggerFactory: (logger) => logger,
    return503OnClosing: true,
  });
  registerJsonBodyParser(app);

  app.decorateRequest('arrivedAt', 0);
  app.addHook('onRequest', function stampRequest(request, reply, done) {
    request.arrivedAt = runtime.clock.now();
    void reply.header('x-request-id', clientRequestId(request.headers) ?? request.id);
    done();
  });

  app.setErrorHandler(function renderError(error: FastifyError, request, reply) {
    const dialect = request.routeOptions.config.dialect ?? openAIChatDialect;
    const failure = fromFastifyError(error, bodyLimit);
    if (failure.code === 'internal_error') runtime.logger.error({ err: error, requestId: request.id }, 'internal error');
    const recorder = new RequestRecorder(request.id, dialect.format, request.arrivedAt || runtime.clock.now(), clientRequestId(request.headers));
    recorder.fail(failure);
    runtime.requestLog.record(recorder.finish(runtime.clock.now(), undefined));
    sendError(reply, failure, dialect);
  });

  app.setNotFoundHandler(function renderNotFound(request, reply) {
    sendError(reply, new GatewayError('not_found', `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`), openAIChatDialect);
  });

  registerSystemRoutes(app, runtime);
  registerOpenAIRoutes(app, runtime);
  registerAnthropicRoutes(app, runtime);
  registerGeminiRoutes(app, runtime);
  if (runtime.store) {
    const deps: Parameters<typeof registerAdminRoutes>[1] = { store: runtime.store, breakers: () => runtime.breakers.snapshot() };
    if (runtime.config.server.adminKey) deps.adminKey = runtime.config.server.adminKey;
    registerAdminRoutes(app, deps);
  }
  return app;
}
