import type { ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  GatewayError,
  ResponseCollector,
  checkModelName,
  checkRequestLimits,
  isContentEvent,
  joinText,
  toGatewayError,
  type CancelSource,
  type CanonicalRequest,
} from '../core/index.js';
import { openAIChatDialect } from '../dialects/openai-chat/index.js';
import type { ComparisonJudgement, ComparisonLeg, StoredComparison } from '../ports/comparison.js';
import { judgeRequest, parseJudgement } from './comparison-judge.js';
import type { CallOptions, CompletionExecution, GatewayService, ServiceSnapshot } from '../ports/gateway-service.js';
import type { ResolvedKey } from '../ports/virtual-key.js';
import { abortOnDisconnect } from './abort-on-disconnect.js';
import { parseCompareRequest } from './compare-request.js';
import { RequestRecorder } from './request-record.js';
import { generateRequestId } from './request-id.js';
import { replyHeaderList } from './direct-reply.js';
import { sendError } from './send-error.js';
import { waitForDrain } from './wait-for-drain.js';

/** Sends one named SSE event; resolves once the client can take more (or is gone). */
type Emit = (event: string, data: unknown) => Promise<void>;

/** What every leg of one comparison shares. */
interface CompareRun {
  service: GatewayService;
  snapshot: ServiceSnapshot;
  comparisonId: string;
  request: CanonicalRequest;
  cancel: CancelSource;
  /** The client's virtual key: every leg and the judge are calls made with it (model list, limits, budget). */
  caller?: ResolvedKey;
  emit?: Emit;
}

const round = (ms: number): number => Math.round(ms * 100) / 100;

/** One call of a comparison: a leg (its text streamed to the client when streaming) or the judge (never streamed). */
interface CompareCall {
  leg: number;
  model: string;
  request: CanonicalRequest;
  tags: Record<string, string>;
  emit?: Emit;
}

/** Runs one model through the normal executor, with its own request record, and sums it up as a leg. */
function runLeg(run: CompareRun, leg: number, model: string): Promise<ComparisonLeg> {
  return runCall(run, { leg, model, request: run.request, tags: { comparison_id: run.comparisonId, comparison_leg: String(leg) }, ...(run.emit ? { emit: run.emit } : {}) });
}

async function runCall(run: CompareRun, call: CompareCall): Promise<ComparisonLeg> {
  const { service, snapshot } = run;
  const { leg, model, request, emit } = call;
  const { clock } = service;
  const requestId = generateRequestId();
  const started = clock.now();
  const recorder = new RequestRecorder(requestId, 'openai-chat', started);
  const { caller } = run;
  if (caller) {
    recorder.record.keyId = caller.key.id;
    recorder.tag(caller.key.tags);
  }
  recorder.tag(call.tags);
  recorder.record.requestedModel = model;
  recorder.record.stream = request.stream;
  const result: ComparisonLeg = { leg, model, request_id: requestId, latency_ms: 0 };
  let execution: CompletionExecution | undefined;
  try {
    const options: CallOptions = { requestId, signal: run.cancel, attempts: recorder.record.attempts };
    if (caller) options.caller = caller;
    execution = await snapshot.complete({ ...request, model }, options);
    recorder.record.routing = execution.decisions;
    if (execution.taskClass) recorder.record.taskClass = execution.taskClass;
    recorder.record.provider = result.provider = execution.target.provider.id;
    recorder.record.model = result.served_model = execution.target.model;
    const collector = new ResponseCollector();
    for await (const event of execution.events) {
      recorder.observe(event);
      collector.push(event);
      if (result.ttft_ms === undefined && isContentEvent(event)) result.ttft_ms = recorder.record.ttftMs = round(clock.now() - started);
      if (emit && event.type === 'text-delta') await emit('delta', { leg, text: event.text });
    }
    const response = collector.result();
    recorder.record.status = 200;
    result.output = joinText(response.content);
    result.finish_reason = response.finishReason.unified;
    const { inputTokens, outputTokens, reasoningTokens } = response.usage;
    result.usage = { input_tokens: inputTokens ?? 0, output_tokens: outputTokens ?? 0, ...(reasoningTokens ? { reasoning_tokens: reasoningTokens } : {}) };
  } catch (error) {
    const failure = toGatewayError(error);
    if (failure.code === 'internal_error') service.reportInternalError(error, requestId);
    recorder.fail(failure);
    result.error = { code: failure.code, message: failure.message };
  } finally {
    const cost = execution?.costOf(recorder.record.usage);
    if (cost !== undefined) recorder.record.costUsd = result.cost_usd = cost;
    // Reservations (TPM, budget) made for the leg are settled with what it really used, as on every other path.
    recorder.settleAnswer(execution?.settle, cost);
    const record = recorder.finish(clock.now(), execution?.upstreamMs());
    result.latency_ms = record.latencyMs;
    service.record(record);
  }
  await emit?.('leg', result);
  return result;
}

/**
 * Has the configured judge score the legs that answered (one more call through the executor, recorded with the
 * comparison's id), and stores each score as feedback on its leg's request, so bandit aliases learn from it.
 */
async function judgeLegs(run: CompareRun, judge: { model: string; rubric: string; metric: string }, legs: readonly ComparisonLeg[]): Promise<ComparisonJudgement> {
  const call = await runCall(run, { leg: legs.length, model: judge.model, request: judgeRequest(run.request, legs, judge), tags: { comparison_id: run.comparisonId, comparison_judge: 'true' } });
  const verdict: ComparisonJudgement = { model: judge.model, metric: judge.metric, request_id: call.request_id, scores: [] };
  if (call.error) return { ...verdict, error: { code: 'judge_failed', message: `The judge model failed: ${call.error.message}` } };
  const scores = parseJudgement(call.output ?? '', legs);
  if (!scores) return { ...verdict, error: { code: 'invalid_judgement', message: 'The judge did not answer with {"scores":[{"leg","score" 0..1,"reason"}]} for any answer' } };
  try {
    for (const { leg, score, reason } of scores) {
      const requestId = legs[leg]?.request_id;
      if (requestId) await run.service.giveFeedback({ requestId, metric: judge.metric, score, at: Date.now(), ...(reason === undefined ? {} : { comment: reason }) });
    }
  } catch (error) {
    return { ...verdict, scores, error: { code: 'feedback_not_stored', message: `Scores not stored as feedback: ${toGatewayError(error).message}` } };
  }
  return { ...verdict, scores };
}

/** An SSE writer that waits while the client's buffer is full, and gives up on a client that stopped reading. */
function sseEmitter(res: ServerResponse, stallLimitMs: number, cancel: CancelSource): Emit {
  return async (event, data) => {
    if (res.destroyed) return;
    if (res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`)) return;
    if ((await waitForDrain(res, stallLimitMs)) !== 'stalled') return;
    cancel.abort(new GatewayError('client_closed', `client stopped reading the stream for ${stallLimitMs} ms (server.client_stall_ms); upstream calls aborted`));
    res.destroy();
  };
}

/**
 * `POST /v1/compare`: one OpenAI chat request sent to every model in `models` at once, each leg through the normal
 * executor with its own request record; answered as one JSON body, or as SSE events tagged with the leg; stored.
 */
export async function serveCompare(service: GatewayService, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const snapshot = service.snapshot();
  const comparisonId = `cmp_${randomUUID()}`;
  const createdAt = Date.now();
  let parsed: { models: string[]; chat: Record<string, unknown>; canonical: CanonicalRequest; judge: boolean };
  try {
    const { models, chat, judge } = parseCompareRequest(request.body);
    if (judge === true && !snapshot.compareJudge) {
      throw new GatewayError('invalid_request', 'No judge is configured: set compare.judge.model in the config', { param: 'judge' });
    }
    const canonical = openAIChatDialect.parseRequest({ ...chat, model: models[0] }, { headers: request.headers, params: {} });
    checkRequestLimits(canonical, snapshot.inputLimits);
    for (const model of models) checkModelName(model, snapshot.inputLimits);
    parsed = { models, chat, canonical, judge: judge !== false && snapshot.compareJudge !== undefined };
  } catch (error) {
    const failure = toGatewayError(error);
    const recorder = new RequestRecorder(request.id, 'openai-chat', request.arrivedAt);
    recorder.fail(failure);
    service.record(recorder.finish(service.clock.now(), undefined));
    sendError(reply, failure, openAIChatDialect);
    return;
  }
  const { models, chat, canonical, judge } = parsed;
  const cancel = abortOnDisconnect(reply);
  const run: CompareRun = { service, snapshot, comparisonId, request: canonical, cancel };
  if (request.caller) run.caller = request.caller;
  if (canonical.stream) {
    const res = reply.raw;
    // What the hooks set on the reply (the request id, CORS) first: the hijacked reply would otherwise drop it.
    const headers = replyHeaderList(reply);
    headers.push('x-switchyard-comparison-id', comparisonId, 'content-type', 'text/event-stream; charset=utf-8', 'cache-control', 'no-cache', 'connection', 'keep-alive', 'x-accel-buffering', 'no');
    res.writeHead(200, headers);
    reply.hijack();
    run.emit = sseEmitter(res, reply.server.clientStallMs, cancel);
    await run.emit('start', { id: comparisonId, models });
  }
  const legs = await Promise.all(models.map((model, leg) => runLeg(run, leg, model)));
  const verdict = judge && snapshot.compareJudge && legs.some((leg) => leg.error === undefined) ? await judgeLegs(run, snapshot.compareJudge, legs) : undefined;
  if (verdict) await run.emit?.('judge', verdict);
  const comparison: StoredComparison = { id: comparisonId, created_at: createdAt, models, request: chat, legs, ...(verdict ? { judge: verdict } : {}) };
  try {
    await service.requestLog?.saveComparison(comparison);
  } catch (error) {
    service.reportInternalError(error, request.id);
  }
  const body = { object: 'comparison', ...comparison };
  if (run.emit) {
    await run.emit('done', body);
    if (!reply.raw.destroyed) reply.raw.end();
    return;
  }
  await reply.header('x-switchyard-comparison-id', comparisonId).code(200).send(body);
}
