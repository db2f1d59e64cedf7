import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GatewayError, boundText, checkRequestLimits } from '../../core/index.js';
import { openAIResponsesDialect, pageInputItems, parseOpenAIResponsesRequest, renderInputTokens } from '../../dialects/openai-responses/index.js';
import type { GatewayService } from '../../ports/gateway-service.js';
import type { StoredResponse } from '../../ports/response-store.js';
import { BackgroundRuns } from '../background-runs.js';
import { loadConversation, responseOwner, serveResponses } from '../serve-responses.js';

const config = { dialect: openAIResponsesDialect };

const inputItemsQuerySchema = z.looseObject({
  limit: z.coerce.number().int().min(1).max(100).default(20),
  order: z.enum(['asc', 'desc']).default('desc'),
  after: z.string().min(1).max(300).optional(),
});

function notFound(id: string): GatewayError {
  return new GatewayError('not_found', `No response found with id '${boundText(id, 200)}'.`, { param: 'response_id' });
}

/** The stored response a path names, if the caller's key (or no key) created it. */
async function storedResponse(service: GatewayService, request: FastifyRequest<{ Params: { id: string } }>): Promise<StoredResponse> {
  const found = await service.responses.getResponse(request.params.id, responseOwner(request));
  if (!found) throw notFound(request.params.id);
  return found;
}

/**
 * The OpenAI Responses API: `POST /v1/responses`, the stored-response endpoints (retrieve, delete, input items,
 * cancel) and `POST /v1/responses/input_tokens`. Stored responses are visible only to the key that created them.
 */
export function registerResponsesRoutes(app: FastifyInstance, service: GatewayService): void {
  const runs = new BackgroundRuns();
  // Runs in flight end as `failed` (stored) before the stores close, rather than staying `in_progress` for good.
  app.addHook('onClose', async () => {
    await runs.stopAll(new GatewayError('shutting_down', 'Gateway shutting down: the background response was stopped before it finished; create it again'));
  });

  app.post('/v1/responses', { config }, async function createResponse(request, reply) {
    await serveResponses(service, runs, request, reply);
  });

  app.post('/v1/responses/input_tokens', { config }, async function responseInputTokens(request) {
    const previous = (request.body as { previous_response_id?: unknown } | null)?.previous_response_id;
    const prior = typeof previous === 'string' ? await loadConversation(service.responses, previous, responseOwner(request)) : undefined;
    const canonical = parseOpenAIResponsesRequest(request.body, prior);
    const snapshot = service.snapshot();
    checkRequestLimits(canonical, snapshot.inputLimits);
    return renderInputTokens(snapshot.countTokens(canonical));
  });

  app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/v1/responses/:id', { config }, async function retrieveResponse(request) {
    const { stream } = request.query;
    if (stream === 'true' || stream === true) {
      throw new GatewayError('unsupported_parameter', 'Unsupported parameter: stream (a stored response cannot be streamed again; retrieve it without stream)', {
        param: 'stream',
      });
    }
    return (await storedResponse(service, request)).response;
  });

  app.delete<{ Params: { id: string } }>('/v1/responses/:id', { config }, async function deleteResponse(request) {
    const { id } = request.params;
    if (!(await service.responses.deleteResponse(id, responseOwner(request)))) throw notFound(id);
    runs.stop(id, new GatewayError('client_closed', 'the response was deleted'));
    return { id, object: 'response', deleted: true };
  });

  app.get<{ Params: { id: string } }>('/v1/responses/:id/input_items', { config }, async function listInputItems(request) {
    const query = inputItemsQuerySchema.safeParse(request.query);
    if (!query.success) {
      const param = query.error.issues[0]?.path.map(String).join('.') ?? 'query';
      throw new GatewayError('invalid_request', `Invalid value for ${param}: ${query.error.issues[0]?.message ?? 'invalid'}`, { param });
    }
    const { limit, order, after } = query.data;
    const found = await storedResponse(service, request);
    return pageInputItems(found.inputItems, { limit, order, ...(after === undefined ? {} : { after }) });
  });

  app.post<{ Params: { id: string } }>('/v1/responses/:id/cancel', { config }, async function cancelResponse(request) {
    const found = await storedResponse(service, request);
    if (found.response.background !== true) {
      throw new GatewayError('invalid_request', 'Only responses created with background: true can be cancelled.', { param: 'response_id' });
    }
    if (found.status === 'cancelled') return found.response;
    if (found.status !== 'queued' && found.status !== 'in_progress') {
      throw new GatewayError('invalid_request', `Cannot cancel a response with status ${found.status}.`, { param: 'response_id' });
    }
    const cancelled: StoredResponse = { ...found, status: 'cancelled', response: { ...found.response, status: 'cancelled' } };
    if (!(await service.responses.updateActiveResponse(cancelled))) return (await storedResponse(service, request)).response;
    // Only the replica running it can stop the upstream call; elsewhere its result is discarded when it arrives.
    runs.stop(found.id, new GatewayError('client_closed', 'the response was cancelled'));
    return cancelled.response;
  });
}
