import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  AllTargetsFailedError,
  GatewayError,
  toGatewayError,
  type AttemptRecord,
  type EmbeddingRequest,
  type EmbeddingResponse,
} from '../core/index.js';
import type { GatewayRuntime } from '../app/gateway.js';
import type { Dialect } from '../dialects/dialect.js';
import { planRoute } from '../routing/resolve-route.js';
import { abortOnDisconnect } from './abort-on-disconnect.js';
import { servedHeaders } from './gateway-headers.js';
import { RequestRecorder } from './request-record.js';
import { clientRequestId } from './request-id.js';
import { sendError } from './send-error.js';

export interface EmbeddingsFormat {
  parse(body: unknown): EmbeddingRequest;
  render(response: EmbeddingResponse, model: string, encodingFormat?: 'float' | 'base64'): unknown;
  dialect: Pick<Dialect, 'renderError' | 'format'>;
}

/** Serves an embeddings request: targets in plan order, failing over on retryable errors. */
export async function serveEmbeddings(runtime: GatewayRuntime, request: FastifyRequest, reply: FastifyReply, format: EmbeddingsFormat): Promise<void> {
  const { clock } = runtime;
  const started = request.arrivedAt;
  const recorder = new RequestRecorder(request.id, 'embeddings', started, clientRequestId(request.headers));
  let upstreamMs = 0;
  try {
    const embeddingRequest = format.parse(request.body);
    recorder.record.requestedModel = embeddingRequest.model;
    const plan = planRoute(embeddingRequest.model, runtime.config, runtime.random);
    const attempts: AttemptRecord[] = [];
    recorder.record.attempts = attempts;
    const cancel = abortOnDisconnect(reply);
    for (const target of plan.targets) {
      const client = runtime.registry.clientFor(target);
      const attemptStarted = clock.now();
      try {
        if (!client.embed) throw new GatewayError('invalid_request', `provider type ${target.provider.type} does not offer embeddings`, { param: 'model' });
        const result = await client.embed({ ...embeddingRequest, model: target.model }, target, {
          signal: cancel,
          timeouts: plan.route.timeouts,
          requestId: request.id,
        });
        const latency = clock.now() - attemptStarted;
        upstreamMs += latency;
        attempts.push({ provider: target.provider.id, model: target.model, outcome: 'ok', latencyMs: Math.round(latency) });
        recorder.record.provider = target.provider.id;
        recorder.record.model = target.model;
        recorder.record.status = 200;
        if (result.inputTokens !== undefined) recorder.record.usage = { inputTokens: result.inputTokens };
        reply.headers(servedHeaders(target, attempts, clock.now() - started - upstreamMs, []));
        await reply.code(200).send(format.render(result, embeddingRequest.model, embeddingRequest.encodingFormat));
        return;
      } catch (error) {
        const failure = toGatewayError(error);
        const latency = clock.now() - attemptStarted;
        upstreamMs += latency;
        attempts.push({ provider: target.provider.id, model: target.model, outcome: failure.code, latencyMs: Math.round(latency), message: failure.message });
        if (failure.status === 400 || cancel.aborted) throw failure;
      }
    }
    throw new AllTargetsFailedError(attempts);
  } catch (error) {
    const failure = toGatewayError(error);
    recorder.fail(failure);
    sendError(reply, failure, format.dialect);
  } finally {
    runtime.requestLog.record(recorder.finish(clock.now(), upstreamMs));
  }
}
