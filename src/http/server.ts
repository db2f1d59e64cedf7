import Fastify, { LogController, type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { GatewayError, toGatewayError } from '../core/index.js';
import type { Dialect } from '../dialects/dialect.js';
import { openAIChatDialect } from '../dialects/openai-chat/index.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { GatewayService } from '../ports/gateway-service.js';
import { registerBodyTimeout } from './body-timeout.js';
import { registerCrossSiteGuard } from './cross-site-guard.js';
import { dialectForPath } from './dialect-for-path.js';
import { InFlightRequests } from './in-flight-requests.js';
import { registerJsonBodyParser } from './json-body.js';
import { RequestRecorder } from './request-record.js';
import { clientRequestId, generateRequestId } from './request-id.js';
import { registerAdminRoutes } from './routes/admin-routes.js';
import { registerAnthropicRoutes } from './routes/anthropic-routes.js';
import { registerBatchRoutes } from './routes/batch-routes.js';
import { registerFeedbackRoutes } from './routes/feedback-routes.js';
import { registerGeminiRoutes } from './routes/gemini-routes.js';
import { registerOpenAIRoutes } from './routes/openai-routes.js';
import { registerResponsesRoutes } from './routes/responses-routes.js';
import { registerSystemRoutes } from './routes/system-routes.js';
import { sendError } from './send-error.js';
import { serveCompare } from './serve-compare.js';
import { registerDashboard } from './serve-dashboard.js';
import type { ResolvedKey } from '../ports/virtual-key.js';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The dialect whose error format this route's failures use. */
    dialect?: Dialect;
  }
  interface FastifyRequest {
    /** When the request arrived, on the service clock: the start of `x-switchyard-overhead-ms`. */
    arrivedAt: number;
    /** The virtual key the client authenticated with, when one applies. */
    caller: ResolvedKey | undefined;
  }
  interface FastifyInstance {
    /** The requests being received or answered, for timeouts and the shutdown deadline. */
    inFlight: InFlightRequests;
    /** How long a streaming client may read nothing before its upstream call is aborted (`server.client_stall_ms`). */
    clientStallMs: number;
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

/** The longest path parameter the router matches (a key id, a Gemini model name): beyond it, a 400. */
const MAX_PARAM_LENGTH = 2000;

/** The Retry-After of a request refused because the gateway is shutting down: about one orchestrator restart. */
const SHUTDOWN_RETRY_AFTER_MS = 5000;

/** What the server is built with at start; a reload does not change these. */
export interface ServerOptions {
  logger: FastifyBaseLogger;
  bodyLimitBytes: number;
  /** Guards `/admin/*`; without it the admin API answers 403 and says how to enable it. */
  adminKey?: string;
  /** The address the server listens on: a loopback one restricts the default Host allow-list to loopback names. */
  listenHost?: string;
  /** Timeouts, the connection cap, Host and Origin lists and the client stall limit (`server.*` in the config). */
  edge: EdgeSettings;
}

/** The HTTP edge's defences against slow, stalled or cross-site clients. */
export type EdgeSettings = Pick<
  GatewayConfig['server'],
  'clientStallMs' | 'headersTimeoutMs' | 'requestTimeoutMs' | 'bodyTimeoutMs' | 'maxConnections' | 'allowedHosts' | 'corsOrigins'
>;

/**
 * Builds the HTTP server over the gateway service: every route, body parsing, request ids, and errors rendered in
 * each route's dialect.
 */
export function buildServer(service: GatewayService, options: ServerOptions): FastifyInstance {
  const bodyLimit = options.bodyLimitBytes;
  const { clock } = service;
  const server = options.edge;
  const recordIn = (dialect: Dialect, id: string, headers: FastifyRequest['headers'], failure: GatewayError, arrivedAt = clock.now()): void => {
    const recorder = new RequestRecorder(id, dialect.format, arrivedAt, clientRequestId(headers));
    recorder.fail(failure);
    service.record(recorder.finish(clock.now(), undefined));
  };
  const recordFailure = (request: FastifyRequest, failure: GatewayError): void => {
    recordIn(request.routeOptions.config.dialect ?? openAIChatDialect, request.id, request.headers, failure, request.arrivedAt || clock.now());
  };
  const inFlight = new InFlightRequests(recordFailure);
  const app = Fastify({
    loggerInstance: options.logger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    bodyLimit,
    genReqId: generateRequestId,
    // Requests log through the gateway logger with explicit ids; a pino child per request (and its redaction setup)
    // would cost more than the whole translation.
    childLoggerFactory: (logger) => logger,
    // Requests that arrive during the drain are refused below, in their client's format and recorded.
    return503OnClosing: false,
    requestTimeout: server.requestTimeoutMs,
    // Node checks the request and header deadlines on this interval (its default, 30 s, would let them overrun).
    http: { headersTimeout: Math.min(server.headersTimeoutMs, server.requestTimeoutMs), connectionsCheckingInterval: 1000 },
    // A malformed or over-long URL never reaches a route: answer it in the client's format (the admin API's for
    // /admin/) and record it, instead of Fastify's own body that quotes the whole path back.
    frameworkErrors(error, request, reply) {
      const failure = new GatewayError(
        'invalid_request',
        error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? `A path segment is longer than ${MAX_PARAM_LENGTH} characters` : 'The URL is malformed (invalid percent-encoding)',
      );
      if (request.url.startsWith('/admin/')) {
        void (reply as FastifyReply).code(failure.status).send({ error: { code: failure.code, message: failure.message } });
        return;
      }
      const dialect = dialectForPath(request.url);
      recordIn(dialect, request.id, request.headers, failure);
      sendError(reply, failure, dialect);
    },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    clientErrorHandler(error: NodeJS.ErrnoException, socket) {
      const request = error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? inFlight.onSocket(socket) : undefined;
      if (request) {
        inFlight.end(request, new GatewayError('request_timeout', `Request not received within ${server.requestTimeoutMs} ms (server.request_timeout_ms)`));
        return;
      }
      if (socket.writable && socket.bytesWritten === 0) {
        socket.write(`HTTP/1.1 ${error.code === 'ERR_HTTP_REQUEST_TIMEOUT' ? '408 Request Timeout' : '400 Bad Request'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      }
      socket.destroy();
    },
  });
  app.server.maxConnections = server.maxConnections;
  app.decorate('inFlight', inFlight);
  app.decorate('clientStallMs', server.clientStallMs);
  registerJsonBodyParser(app, () => service.snapshot().inputLimits);

  app.decorateRequest('arrivedAt', 0);
  app.decorateRequest('endedBy', undefined);
  app.decorateRequest('flight', undefined);
  app.decorateRequest('caller', undefined);
  let draining = false;
  app.addHook('preClose', function stopAccepting(done) {
    draining = true;
    done();
  });
  app.addHook('onRequest', function stampRequest(request, reply, done) {
    request.arrivedAt = clock.now();
    inFlight.track(request, reply);
    void reply.header('x-request-id', clientRequestId(request.headers) ?? request.id);
    if (!draining) {
      done();
      return;
    }
    // A request that reached a busy keep-alive connection after shutdown began: tell the client to go elsewhere, in
    // its own format, and close the connection so its next request opens one to a live instance.
    const failure = new GatewayError('shutting_down', 'Gateway shutting down: not accepting new requests; retry on another instance or once it has restarted', {
      retryAfterMs: SHUTDOWN_RETRY_AFTER_MS,
    });
    recordFailure(request, failure);
    void reply.header('connection', 'close');
    sendError(reply, failure, request.routeOptions.config.dialect ?? openAIChatDialect);
  });
  registerCrossSiteGuard(app, { allowedHosts: server.allowedHosts, corsOrigins: server.corsOrigins, listenHost: options.listenHost }, (request, reply, failure) => {
    recordFailure(request, failure);
    sendError(reply, failure, request.routeOptions.config.dialect ?? openAIChatDialect);
  });
  registerBodyTimeout(app, server.bodyTimeoutMs);
  app.addHook('onRequest', function authenticateKey(request, _reply, done) {
    // Every client API call is checked against the key directory in memory; a 401 renders in the route's dialect.
    if (request.url.startsWith('/v1/') || request.url.startsWith('/v1beta/')) request.caller = service.authenticate(request.headers, request.url);
    done();
  });

  app.setErrorHandler(function renderError(error: FastifyError, request, reply) {
    // A request the gateway ended itself (timeout, shutdown) was recorded and answered then.
    if (request.endedBy) return;
    const failure = fromFastifyError(error, bodyLimit);
    if (failure.code === 'internal_error') service.reportInternalError(error, request.id);
    recordFailure(request, failure);
    sendError(reply, failure, request.routeOptions.config.dialect ?? openAIChatDialect);
  });

  app.setNotFoundHandler(function renderNotFound(request, reply) {
    sendError(reply, new GatewayError('not_found', `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`), openAIChatDialect);
  });

  registerSystemRoutes(app, service);
  registerOpenAIRoutes(app, service);
  registerResponsesRoutes(app, service);
  registerAnthropicRoutes(app, service);
  registerGeminiRoutes(app, service);
  registerFeedbackRoutes(app, service);
  registerBatchRoutes(app, service);
  registerDashboard(app);
  const reloadConfig = service.reloadConfig?.bind(service);
  if (service.requestLog || service.keys) {
    registerAdminRoutes(app, {
      ...(service.requestLog ? { store: service.requestLog } : {}),
      ...(service.keys && service.audit ? { keys: service.keys, audit: service.audit } : {}),
      breakers: () => service.breakers(),
      routingStatistics: () => service.routingStatistics(),
      routingOverview: (at) => service.routingOverview(at),
      configInfo: () => service.configInfo(),
      dashboard: { compare: (request, reply) => serveCompare(service, request, reply), giveFeedback: (entry) => service.giveFeedback(entry) },
      ...(reloadConfig ? { reloadConfig } : {}),
      batches: () => service.batches?.jobs,
      ...(options.adminKey ? { adminKey: options.adminKey } : {}),
    });
  }
  return app;
}
