import type { FastifyReply, FastifyRequest } from 'fastify';
import type { ServerResponse } from 'node:http';
import {
  GatewayError,
  ResponseCollector,
  inBatches,
  checkRequestLimits,
  toGatewayError,
  type CancelSource,
  type CanonicalResponse,
  type Clock,
  type Warning,
} from '../core/index.js';
import type { Dialect, RenderContext } from '../dialects/dialect.js';
import { forwardingStreamEncoder } from '../dialects/shared/forwarding-stream-encoder.js';
import type { CallOptions, CompletionExecution, GatewayService, ServiceSnapshot } from '../ports/gateway-service.js';
import { abortOnDisconnect } from './abort-on-disconnect.js';
import { cacheDirective } from './cache-directive.js';
import { pushHeaders, replyHeaderList, sendJsonDirect } from './direct-reply.js';
import { pushServedHeaders } from './gateway-headers.js';
import { RequestRecorder } from './request-record.js';
import { clientRequestId } from './request-id.js';
import { waitForDrain } from './wait-for-drain.js';
import { sessionHeader } from './session-header.js';
import { priorityHeader } from './priority-header.js';
import { sendError } from './send-error.js';

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
  connection: 'keep-alive',
  'x-accel-buffering': 'no',
};

/** How a request ended, for a caller that keeps responses (the Responses API's stored responses). */
export interface CompletionOutcome {
  /** What the response was rendered with; absent when the request failed before it was parsed. */
  context?: RenderContext;
  /** The response as delivered (a stream folded); absent when the request failed. */
  response?: CanonicalResponse;
  error?: GatewayError;
}

/** A run the client does not wait for: it is answered at acceptance, and the generation continues detached. */
export interface DetachedRun {
  /** Answers the client once the request is parsed and within limits (the queued Response object). */
  accept(context: RenderContext): Promise<void>;
  /** Cancels the detached generation; client disconnects no longer do. */
  cancel: CancelSource;
}

/** What a caller adds to one generation request. */
export interface CompletionHooks {
  /**
   * Loads what parsing needs (a stored conversation) and returns the dialect to parse and render with; its failures
   * are answered and recorded like a parse error.
   */
  prepare?(): Promise<Dialect>;
  /** Told once, when the request ends. */
  finished?(outcome: CompletionOutcome): void;
  /** Runs the request detached from its HTTP exchange (`background: true`). */
  detached?: DetachedRun;
}

/**
 * Serves one generation request in any dialect: parse → route → execute → stream or fold → render, with the request
 * record written on every path.
 */
export async function serveCompletion(
  service: GatewayService,
  errorDialect: Dialect,
  request: FastifyRequest,
  reply: FastifyReply,
  params: Record<string, string>,
  hooks: CompletionHooks = {},
): Promise<void> {
  const { clock } = service;
  const snapshot = service.snapshot();
  const started = request.arrivedAt;
  const recorder = new RequestRecorder(request.id, errorDialect.format, started, clientRequestId(request.headers));
  let execution: CompletionExecution | undefined;
  const outcome: CompletionOutcome = {};
  try {
    const dialect = hooks.prepare ? await hooks.prepare() : errorDialect;
    const canonical = dialect.parseRequest(request.body, { headers: request.headers, params });
    checkRequestLimits(canonical, snapshot.inputLimits);
    const { passthrough } = canonical;
    const { jsonBytes } = request;
    if (jsonBytes !== undefined && passthrough !== undefined && passthrough.body === request.body) passthrough.source = { body: passthrough.body, ...jsonBytes };
    if (snapshot.storeBodies) recorder.record.requestBody = request.body;
    recorder.record.requestedModel = canonical.model;
    recorder.record.stream = canonical.stream;
    const { caller } = request;
    if (caller) {
      recorder.record.keyId = caller.key.id;
      // Tagged first, so the key's tags win over the same names in the client's metadata.
      recorder.tag(caller.key.tags);
    }
    if (canonical.metadata) recorder.tag(canonical.metadata);
    const parseWarnings = canonical.warnings ?? [];
    recorder.record.warnings.push(...parseWarnings);
    const cache = cacheDirective(request.headers);
    const context: RenderContext = {
      requestId: request.id,
      model: canonical.model,
      created: Math.floor(Date.now() / 1000),
      includeUsage: canonical.includeUsage === true,
      request: canonical,
      estimatePromptTokens: () => snapshot.countTokens(canonical),
    };
    outcome.context = context;
    const { detached } = hooks;
    if (detached) await detached.accept(context);
    const cancel = detached ? detached.cancel : abortOnDisconnect(reply);
    const session = sessionHeader(request.headers);
    const task = namedTask(request, canonical.metadata);
    const priority = priorityHeader(request.headers);
    // An answer nobody stores or folds can go out in the upstream's own bytes when the target speaks the client's format.
    const forwardAnswer = !snapshot.storeBodies && hooks.finished === undefined && !detached;
    // Set field by field: conditional spreads in a literal copy through V8's runtime, six times per request.
    const options: CallOptions = { requestId: request.id, signal: cancel, attempts: recorder.record.attempts };
    if (session !== undefined) options.session = session;
    if (task !== undefined) options.task = task;
    if (cache) options.cache = cache;
    if (caller) options.caller = caller;
    if (priority) options.priority = priority;
    if (forwardAnswer) options.forwardAnswer = forwardAnswer;
    execution = await snapshot.complete(canonical, options);
    if (execution.cache) recorder.record.cache = execution.cache;
    recorder.record.routing = execution.decisions;
    if (execution.taskClass) recorder.record.taskClass = execution.taskClass;
    recorder.record.provider = execution.target.provider.id;
    recorder.record.model = execution.target.model;
    const delivery: Delivery = { clock, snapshot, dialect, reply, execution, context, recorder, started, parseWarnings, keep: hooks.finished !== undefined };
    if (detached) outcome.response = await foldDetached(delivery);
    else if (canonical.stream) outcome.response = await writeStream(delivery);
    else outcome.response = await writeResponse(delivery);
  } catch (error) {
    const failure = request.endedBy ?? toGatewayError(error);
    if (failure.code === 'internal_error') service.reportInternalError(error, request.id);
    recorder.fail(failure);
    outcome.error = failure;
    if (!reply.sent && !reply.raw.headersSent) {
      if (execution?.limitHeaders) void reply.headers(execution.limitHeaders);
      sendError(reply, failure, errorDialect);
    }
  } finally {
    hooks.finished?.(outcome);
    const cost = execution?.costOf(recorder.record.usage);
    if (cost !== undefined) recorder.record.costUsd = cost;
    const saving = execution?.cacheSavingOf(recorder.record.usage);
    if (saving !== undefined) recorder.record.cacheSavingUsd = saving;
    recorder.settleAnswer(execution?.settle, cost);
    service.record(recorder.finish(clock.now(), execution?.upstreamMs()));
  }
}

/** The task class the client named: the `x-switchyard-task` header, else `metadata.task`. */
function namedTask(request: FastifyRequest, metadata: Record<string, string> | undefined): string | undefined {
  const header = request.headers['x-switchyard-task'];
  return typeof header === 'string' && header !== '' ? header : metadata?.task;
}

/** Everything needed to deliver a committed execution to the client. */
interface Delivery {
  clock: Clock;
  snapshot: ServiceSnapshot;
  dialect: Dialect;
  reply: FastifyReply;
  execution: CompletionExecution;
  context: RenderContext;
  recorder: RequestRecorder;
  /** Request arrival on the service clock. */
  started: number;
  /** What the dialect dropped while parsing, reported before the target's own warnings. */
  parseWarnings: Warning[];
  /** Whether the caller keeps the response: a stream is then folded even when bodies are not stored. */
  keep: boolean;
}

/** Writes the stream to the client; resolves to the folded response when the caller keeps it and the stream completed. */
async function writeStream({ clock, snapshot, dialect, reply, execution, context, recorder, started, parseWarnings, keep }: Delivery): Promise<CanonicalResponse | undefined> {
  const now = clock.now();
  recorder.record.ttftMs = Math.round(now - started);
  const overhead = now - started - execution.upstreamMs();
  const res = reply.raw;
  // A flat [name, value, …] list in the order the headers leave, rather than one object spread together from four:
  // spreading the rate-limit headers in first sent every later property through V8's runtime (~10 µs a request).
  // It starts with what the hooks set on the reply (the request id, CORS), which a hijacked reply would otherwise drop.
  const headers = replyHeaderList(reply);
  pushHeaders(headers, execution.limitHeaders);
  pushHeaders(headers, STREAM_HEADERS);
  pushServedHeaders(headers, execution.target, execution.attempts, overhead, [...parseWarnings, ...execution.warnings], execution.cache);
  // Headers first: if one is refused, nothing was sent and the error can still be answered.
  res.writeHead(200, headers);
  reply.hijack();
  recorder.record.status = 200;
  const encoder = forwardingStreamEncoder(dialect.createStreamEncoder(context));
  const folded = snapshot.storeBodies || keep ? new ResponseCollector() : undefined;
  // A batch holds the events decoded from one upstream read: they are written corked and leave in one write when the
  // batch is done, instead of one syscall per event. Uncorking at the batch's end rather than on the next tick spares a
  // tick object per chunk (Node's streams already schedule several per chunk).
  const stallLimitMs = reply.server.clientStallMs;
  stream: for await (const batch of inBatches(execution.events)) {
    let corked = false;
    let finished = false;
    for (const event of batch) {
      recorder.observe(event);
      folded?.push(event);
      if (event.type === 'finish') finished = true;
      if (res.destroyed) continue;
      const text = encoder.encode(event);
      if (text === '') continue;
      if (!corked) {
        corked = true;
        res.cork();
      }
      if (res.write(text)) continue;
      // A full buffer drains only once what is corked has gone out.
      corked = false;
      res.uncork();
      // Not pulling the next batch while the client's buffer is full leaves the upstream body unread, so the upstream
      // socket's own flow control throttles the provider and this stream's memory stays at a few buffers.
      if ((await waitForDrain(res, stallLimitMs)) !== 'stalled') continue;
      // Leaving the loop closes the event stream, which aborts the upstream call.
      recorder.fail(new GatewayError('client_closed', `client stopped reading the stream for ${stallLimitMs} ms (server.client_stall_ms); upstream call aborted`));
      res.destroy();
      break stream;
    }
    if (!corked) continue;
    // The answer's last batch stays corked until the ticks in hand have run: when its upstream ended in the same read,
    // `end()` below adds the closing frames and the body's terminator, and all of it leaves in one write, not two.
    if (finished) process.nextTick(uncorkResponse, res);
    else res.uncork();
  }
  if (!res.destroyed) res.end(encoder.end());
  if (!folded) return undefined;
  let response: CanonicalResponse | undefined;
  try {
    response = folded.result();
  } catch {
    response = undefined;
  }
  if (snapshot.storeBodies) recorder.record.responseBody = response ?? { partial: true };
  return recorder.record.errorCode === undefined ? response : undefined;
}

/** Uncorks a response; a named function with an argument, so a stream's end schedules no closure. */
function uncorkResponse(res: ServerResponse): void {
  res.uncork();
}

/** Folds a detached run's events and records it; nobody is waiting on the HTTP exchange any more. */
async function foldDetached({ clock, execution, recorder, started }: Delivery): Promise<CanonicalResponse> {
  const collector = new ResponseCollector();
  for await (const batch of inBatches(execution.events)) {
    for (const event of batch) {
      recorder.observe(event);
      collector.push(event);
    }
  }
  const response = collector.result();
  recorder.record.ttftMs = Math.round(clock.now() - started);
  recorder.record.status = 200;
  return response;
}

async function writeResponse({ clock, snapshot, dialect, reply, execution, context, recorder, started, parseWarnings }: Delivery): Promise<CanonicalResponse> {
  const collector = new ResponseCollector();
  // A forwarded answer's body, already in the client's format; its usage, finish and warnings come as events beside it.
  let forwarded: string | undefined;
  for await (const batch of inBatches(execution.events)) {
    for (const event of batch) {
      recorder.observe(event);
      if (event.type === 'wire') forwarded = (forwarded ?? '') + event.data;
      else collector.push(event);
    }
  }
  const response = collector.result();
  const overhead = clock.now() - started - execution.upstreamMs();
  recorder.record.ttftMs = Math.round(clock.now() - started);
  recorder.record.status = 200;
  const headers = replyHeaderList(reply);
  pushHeaders(headers, execution.limitHeaders);
  pushServedHeaders(headers, execution.target, execution.attempts, overhead, [...parseWarnings, ...response.warnings], execution.cache);
  const cost = execution.costOf(response.usage);
  if (cost !== undefined) headers.push('x-switchyard-cost-usd', cost.toFixed(8));
  let text = forwarded;
  if (text === undefined) {
    const body = dialect.renderResponse(response, context);
    if (snapshot.storeBodies) recorder.record.responseBody = body;
    text = JSON.stringify(body);
  }
  sendJsonDirect(reply, headers, text);
  return response;
}
