import type { FastifyReply, FastifyRequest } from 'fastify';
import { CancelSource, GatewayError, boundText, isRecord } from '../core/index.js';
import {
  createOpenAIResponsesDialect,
  openAIResponsesDialect,
  outputAsInputItems,
  renderFailedResponse,
  renderOpenAIResponsesResponse,
  renderPendingResponse,
  toStoredInputItems,
  type ResponsesLifecycle,
} from '../dialects/openai-responses/index.js';
import type { RenderContext } from '../dialects/dialect.js';
import type { GatewayService } from '../ports/gateway-service.js';
import type { ResponseStore, StoredResponse, StoredResponseStatus } from '../ports/response-store.js';
import type { BackgroundRuns } from './background-runs.js';
import { serveCompletion, type CompletionHooks, type CompletionOutcome } from './serve-completion.js';

type Item = Record<string, unknown>;

/** Whose stored responses a request may see: its virtual key's, or those made without a key. */
export function responseOwner(request: FastifyRequest): string {
  return request.caller?.key.id ?? '';
}

/** What the body says about keeping the response; the parser validates the same fields. */
function lifecycleOf(body: unknown): ResponsesLifecycle {
  const fields = isRecord(body) ? body : {};
  return {
    store: fields.store !== false,
    background: fields.background === true,
    previousResponseId: typeof fields.previous_response_id === 'string' ? fields.previous_response_id : null,
  };
}

/**
 * The items of the stored conversation a request continues: the previous response's input items, then its output.
 * `previous_response_id` names a response of the same owner that has finished.
 */
export async function loadConversation(store: ResponseStore, id: string, owner: string): Promise<Item[]> {
  const previous = await store.getResponse(id, owner);
  if (!previous) {
    throw new GatewayError('invalid_request', `Previous response with id '${boundText(id, 200)}' not found.`, { param: 'previous_response_id' });
  }
  if (previous.status === 'queued' || previous.status === 'in_progress') {
    throw new GatewayError('invalid_request', `Previous response with id '${boundText(id, 200)}' has not finished yet (status ${previous.status}).`, {
      param: 'previous_response_id',
    });
  }
  return [...previous.inputItems, ...outputAsInputItems(previous.response)];
}

/**
 * `POST /v1/responses`: one generation through the shared completion path, continuing the stored conversation named
 * by `previous_response_id`, stored afterwards unless `store: false`, and with `background: true` answered at once
 * (status `queued`) and run detached, its result stored for `GET /v1/responses/{id}`.
 */
export async function serveResponses(service: GatewayService, runs: BackgroundRuns, request: FastifyRequest, reply: FastifyReply): Promise<void> {
  const store = service.responses;
  const owner = responseOwner(request);
  const lifecycle = lifecycleOf(request.body);
  let priorItems: Item[] = [];
  const stored = (context: RenderContext, response: Item): StoredResponse => ({
    id: `resp_${context.requestId}`,
    owner,
    createdAt: context.created * 1000,
    status: response.status as StoredResponseStatus,
    inputItems: [...priorItems, ...toStoredInputItems(request.body, context.requestId)],
    response,
  });
  const keepFailure = (error: unknown): void => request.log.warn({ err: error }, 'stored response not kept');
  const cancel = new CancelSource();
  const hooks: CompletionHooks = {
    async prepare() {
      if (lifecycle.previousResponseId !== null) priorItems = await loadConversation(store, lifecycle.previousResponseId, owner);
      return createOpenAIResponsesDialect(lifecycle, priorItems);
    },
  };
  if (lifecycle.store) {
    hooks.finished = ({ context, response, error }: CompletionOutcome) => {
      if (!context) return;
      if (lifecycle.background) {
        // A run this process stopped (shutdown) ends with the reason it was stopped for, not as a client disconnect.
        const stoppedBy = cancel.reason instanceof GatewayError ? cancel.reason : undefined;
        const failure = stoppedBy ?? error ?? new GatewayError('internal_error', 'the background run ended without a response');
        const body = response ? renderOpenAIResponsesResponse(response, context, lifecycle) : renderFailedResponse(context, lifecycle, failure);
        // A run cancelled meanwhile stays cancelled: the update only replaces a queued or running response.
        const write = store.updateActiveResponse(stored(context, body)).then(() => undefined, keepFailure);
        runs.ended(`resp_${context.requestId}`, write);
      } else if (response) {
        store.saveResponse(stored(context, renderOpenAIResponsesResponse(response, context, lifecycle))).catch(keepFailure);
      }
    };
  }
  if (lifecycle.background) {
    hooks.detached = {
      cancel,
      async accept(context) {
        const queued = renderPendingResponse(context, lifecycle);
        await store.saveResponse(stored(context, queued));
        runs.start(`resp_${context.requestId}`, cancel);
        await reply.code(200).send(queued);
        // The generation starts now: pollers see it running, not waiting.
        await store.updateActiveResponse(stored(context, { ...queued, status: 'in_progress' })).catch(keepFailure);
      },
    };
  }
  await serveCompletion(service, openAIResponsesDialect, request, reply, {}, hooks);
}
