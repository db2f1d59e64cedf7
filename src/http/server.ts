import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance } from 'fastify';
import { GatewayError, toGatewayError } from '../core/index.js';
import type { Dialect } from '../dialects/dialect.js';
import { openAIChatDialect } from '../dialects/openai-chat/index.js';
import type { GatewayService } from '../ports/gateway-service.js';
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
    /** When the request arrived, on the service clock: the start of `x-switchyard-overhead-ms`. */
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

/** What the server is built with at start; a reload does not change these. */
export interface ServerOptions {
  logger: FastifyBaseLogger;
  bodyLimitBytes: number;
  /** Guards `/admin/*`; without it the admin API answers 403 and says how to enable it. */
  adminKey?: string;
}

/**
 * Builds the HTTP server over the gateway service: every route, body parsing, request ids, and errors rendered in
 * each route's dialect.
 */
export function buildServer(service: GatewayService, options: ServerOptions): FastifyInstance {
  const bodyLimit = options.bodyLimitBytes;
  const { clock } = service;
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit,
    genReqId: generateRequestId,
    // Requests log through the gateway logger with explicit ids; a pino child per request (and its redaction setup)
    // would cost more than the whole translation.
    childLoggerFactory: (logger) => logger,
    return503OnClosing: true,
  });
  registerJsonBodyParser(app);

  app.decorateRequest('arrivedAt', 0);
  app.addHook('onRequest', function stampRequest(request, reply, done) {
    request.arrivedAt = clock.now();
    void reply.header('x-request-id', clientRequestId(request.headers) ?? request.id);
    done();
  });

  app.setErrorHandler(function renderError(error: FastifyError, request, reply) {
    const dialect = request.routeOptions.config.dialect ?? openAIChatDialect;
    const failure = fromFastifyError(error, bodyLimit);
    if (failure.code === 'internal_error') service.reportInternalError(error, request.id);
    const recorder = new RequestRecorder(request.id, dialect.format, request.arrivedAt || clock.now(), clientRequestId(request.headers));
    recorder.fail(failure);
    service.record(recorder.finish(clock.now(), undefined));
    sendError(reply, failure, dialect);
  });

  app.setNotFoundHandler(function renderNotFound(request, reply) {
    sendError(reply, new GatewayError('not_found', `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`), openAIChatDialect);
  });

  registerSystemRoutes(app, service);
  registerOpenAIRoutes(app, service);
  registerAnthropicRoutes(app, service);
  registerGeminiRoutes(app, service);
  if (service.requestLog) {
    registerAdminRoutes(app, {
      store: service.requestLog,
      breakers: () => service.breakers(),
      ...(options.adminKey ? { adminKey: options.adminKey } : {}),
    });
  }
  return app;
}
