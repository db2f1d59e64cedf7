import type { FastifyReply, FastifyRequest } from 'fastify';
import { checkModelName, toGatewayError, type EmbeddingRequest, type EmbeddingResponse } from '../core/index.js';
import type { Dialect } from '../dialects/dialect.js';
import type { EmbeddingExecution, GatewayService } from '../ports/gateway-service.js';
import { abortOnDisconnect } from './abort-on-disconnect.js';
import { pushHeaders, replyHeaderList, sendJsonDirect } from './direct-reply.js';
import { pushServedHeaders } from './gateway-headers.js';
import { RequestRecorder } from './request-record.js';
import { clientRequestId } from './request-id.js';
import { sendError } from './send-error.js';
import { priorityHeader } from './priority-header.js';

export interface EmbeddingsFormat {
  parse(body: unknown): EmbeddingRequest;
  render(response: EmbeddingResponse, model: string, encodingFormat?: 'float' | 'base64'): unknown;
  dialect: Pick<Dialect, 'renderError' | 'format'>;
}

/**
 * Serves an embeddings request through the service's executor (retries, breakers, deadline, failover). Delivering the
 * answer happens after the upstream call is over, so a client that cannot take it is never an upstream's failure.
 */
export async function serveEmbeddings(service: GatewayService, request: FastifyRequest, reply: FastifyReply, format: EmbeddingsFormat): Promise<void> {
  const { clock } = service;
  const snapshot = service.snapshot();
  const started = request.arrivedAt;
  const recorder = new RequestRecorder(request.id, 'embeddings', started, clientRequestId(request.headers));
  let execution: EmbeddingExecution | undefined;
  try {
    const embeddingRequest = format.parse(request.body);
    checkModelName(embeddingRequest.model, snapshot.inputLimits);
    recorder.record.requestedModel = embeddingRequest.model;
    const cancel = abortOnDisconnect(reply);
    const { caller } = request;
    if (caller) {
      recorder.record.keyId = caller.key.id;
      recorder.tag(caller.key.tags);
    }
    const priority = priorityHeader(request.headers);
    execution = await snapshot.embed(embeddingRequest, {
      requestId: request.id,
      signal: cancel,
      attempts: recorder.record.attempts,
      ...(caller ? { caller } : {}),
      ...(priority ? { priority } : {}),
    });
    const { target, response } = execution;
    recorder.record.routing = execution.decisions;
    recorder.record.provider = target.provider.id;
    recorder.record.model = target.model;
    recorder.record.status = 200;
    if (response.inputTokens !== undefined) recorder.record.usage = { inputTokens: response.inputTokens };
    const warnings = response.warnings ?? [];
    recorder.record.warnings.push(...warnings);
    const body = JSON.stringify(format.render(response, embeddingRequest.model, embeddingRequest.encodingFormat));
    const headers = replyHeaderList(reply);
    pushHeaders(headers, execution.limitHeaders);
    pushServedHeaders(headers, target, execution.attempts, clock.now() - started - execution.upstreamMs, warnings);
    const cost = execution.costOf(recorder.record.usage);
    if (cost !== undefined) headers.push('x-switchyard-cost-usd', cost.toFixed(8));
    sendJsonDirect(reply, headers, body);
  } catch (error) {
    const failure = toGatewayError(error);
    if (failure.code === 'internal_error') service.reportInternalError(error, request.id);
    recorder.fail(failure);
    if (!reply.sent && !reply.raw.headersSent) sendError(reply, failure, format.dialect);
  } finally {
    const cost = execution?.costOf(recorder.record.usage);
    if (cost !== undefined) recorder.record.costUsd = cost;
    recorder.chargedEstimate(execution?.settle?.(recorder.record.usage, cost));
    service.record(recorder.finish(clock.now(), execution?.upstreamMs));
  }
}
