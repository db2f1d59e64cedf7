import { GatewayError, ResponseCollector, checkModelName, checkRequestLimits, toGatewayError, type CancelSource, type ErrorCode, type Usage } from '../core/index.js';
import type { Dialect } from '../dialects/dialect.js';
import { anthropicMessagesDialect } from '../dialects/anthropic-messages/index.js';
import { openAIChatDialect, parseOpenAIEmbeddingsRequest, renderOpenAIEmbeddingsResponse } from '../dialects/openai-chat/index.js';
import { openAIResponsesDialect } from '../dialects/openai-responses/index.js';
import type { CompletionExecution, EmbeddingExecution, GatewayService } from '../ports/gateway-service.js';
import type { ResolvedKey } from '../ports/virtual-key.js';
import type { DelegatedLine, DelegatedResult } from '../ports/provider-batch-api.js';
import { RequestRecorder } from './request-record.js';

/** The endpoints a batch line may call, each with the dialect its body is written in. */
const LINE_DIALECTS: ReadonlyMap<string, Dialect> = new Map([
  ['/v1/chat/completions', openAIChatDialect],
  ['/v1/responses', openAIResponsesDialect],
  ['/v1/messages', anthropicMessagesDialect],
]);

/** Every endpoint a batch line may name. */
export const BATCH_LINE_ENDPOINTS: readonly string[] = [...LINE_DIALECTS.keys(), '/v1/embeddings'];

/** One batch line to run: the endpoint and body it names, on behalf of the job's key. */
export interface BatchLineCall {
  url: string;
  body: unknown;
  requestId: string;
  signal: CancelSource;
  caller?: ResolvedKey;
  /** Tags for the line's request record (the job id and the line's custom_id). */
  tags: Record<string, string>;
}

/** What a line's call answered: the HTTP status and body a live call would have got, with its cost and usage. */
export interface BatchLineOutcome {
  status: number;
  body: unknown;
  costUsd?: number;
  usage?: Usage;
  /** The gateway error code when it failed. */
  errorCode?: ErrorCode;
  retryable?: boolean;
}

/** The dialect a line's endpoint speaks; the error rendering of OpenAI's format for embeddings. */
function dialectOf(url: string): Dialect {
  return LINE_DIALECTS.get(url) ?? openAIChatDialect;
}

/**
 * Runs one batch line the way its endpoint serves a live call — parse, route, execute on the batch lane, fold,
 * render — and records it like one. Never throws: a failure is the outcome's status and error body.
 */
export async function runBatchLine(service: GatewayService, call: BatchLineCall): Promise<BatchLineOutcome> {
  const dialect = dialectOf(call.url);
  const embeddings = call.url === '/v1/embeddings';
  const { clock } = service;
  const started = clock.now();
  const recorder = new RequestRecorder(call.requestId, embeddings ? 'embeddings' : dialect.format, started);
  const snapshot = service.snapshot();
  const options = { requestId: call.requestId, signal: call.signal, attempts: recorder.record.attempts, priority: 'batch' as const, ...(call.caller ? { caller: call.caller } : {}) };
  if (call.caller) {
    recorder.record.keyId = call.caller.key.id;
    recorder.tag(call.caller.key.tags);
  }
  recorder.tag(call.tags);
  let completion: CompletionExecution | undefined;
  let embedding: EmbeddingExecution | undefined;
  let outcome: BatchLineOutcome;
  try {
    if (!LINE_DIALECTS.has(call.url) && !embeddings) throw new GatewayError('invalid_request', `url must be one of ${BATCH_LINE_ENDPOINTS.join(', ')}`, { param: 'url' });
    if (embeddings) {
      const request = parseOpenAIEmbeddingsRequest(call.body);
      checkModelName(request.model, snapshot.inputLimits);
      recorder.record.requestedModel = request.model;
      embedding = await snapshot.embed(request, options);
      recorder.record.routing = embedding.decisions;
      recorder.record.provider = embedding.target.provider.id;
      recorder.record.model = embedding.target.model;
      if (embedding.response.inputTokens !== undefined) recorder.record.usage = { inputTokens: embedding.response.inputTokens };
      if (embedding.response.warnings) recorder.record.warnings.push(...embedding.response.warnings);
      recorder.record.status = 200;
      outcome = { status: 200, body: renderOpenAIEmbeddingsResponse(embedding.response, request.model, request.encodingFormat) };
    } else {
      const request = dialect.parseRequest(call.body, { headers: {}, params: {} });
      if (request.stream) throw new GatewayError('invalid_request', 'stream is not supported in a batch line', { param: 'body.stream' });
      checkRequestLimits(request, snapshot.inputLimits);
      recorder.record.requestedModel = request.model;
      if (request.metadata) recorder.tag(request.metadata);
      completion = await snapshot.complete(request, options);
      recorder.record.routing = completion.decisions;
      recorder.record.provider = completion.target.provider.id;
      recorder.record.model = completion.target.model;
      const collector = new ResponseCollector();
      for await (const event of completion.events) {
        recorder.observe(event);
        collector.push(event);
      }
      const response = collector.result();
      recorder.record.status = 200;
      const context = { requestId: call.requestId, model: request.model, created: Math.floor(Date.now() / 1000), includeUsage: false, request };
      outcome = { status: 200, body: dialect.renderResponse(response, context) };
    }
  } catch (error) {
    const failure = toGatewayError(error);
    if (failure.code === 'internal_error') service.reportInternalError(error, call.requestId);
    recorder.fail(failure);
    const rendered = dialect.renderError(failure);
    outcome = { status: rendered.status, body: rendered.body, errorCode: failure.code, retryable: failure.retryable };
  }
  const usage = recorder.record.usage;
  const cost = completion?.costOf(usage) ?? embedding?.costOf(usage);
  if (cost !== undefined) recorder.record.costUsd = cost;
  if (usage) outcome.usage = usage;
  if (completion) recorder.settleAnswer(completion.settle, cost);
  else recorder.chargedEstimate(embedding?.settle?.(usage, cost));
  if (recorder.record.costUsd !== undefined) outcome.costUsd = recorder.record.costUsd;
  service.record(recorder.finish(clock.now(), completion?.upstreamMs() ?? embedding?.upstreamMs));
  return outcome;
}

/** A line's body as a provider batch API takes it: parsed in its endpoint's format, addressed to `upstreamModel`. */
export function toDelegatedLine(url: string, body: unknown, customId: string, upstreamModel: string): DelegatedLine {
  if (url === '/v1/embeddings') return { customId, kind: 'embedding', request: { ...parseOpenAIEmbeddingsRequest(body), model: upstreamModel } };
  const request = dialectOf(url).parseRequest(body, { headers: {}, params: {} });
  if (request.stream) throw new GatewayError('invalid_request', 'stream is not supported in a batch line', { param: 'body.stream' });
  return { customId, kind: 'chat', request: { ...request, model: upstreamModel } };
}

/** A delegated line's result as the HTTP status and body a live call to `url` would have answered. */
export function renderDelegatedResult(url: string, result: DelegatedResult, requestedModel: string, requestId: string): { status: number; body: unknown } {
  const dialect = dialectOf(url);
  if (!result.ok) {
    const rendered = dialect.renderError(new GatewayError(result.error.code, result.error.message));
    return { status: rendered.status, body: rendered.body };
  }
  if (result.kind === 'embedding') return { status: 200, body: renderOpenAIEmbeddingsResponse(result.response, requestedModel) };
  const context = { requestId, model: requestedModel, created: Math.floor(Date.now() / 1000), includeUsage: false };
  return { status: 200, body: dialect.renderResponse({ ...result.response, usage: result.usage }, context) };
}
