import type { FastifyInstance } from 'fastify';
import { GatewayError, checkRequestLimits } from '../../core/index.js';
import { openAIChatDialect, parseOpenAIEmbeddingsRequest, renderOpenAIEmbeddingsResponse } from '../../dialects/openai-chat/index.js';
import { openAIResponsesDialect, parseOpenAIResponsesRequest, renderInputTokens } from '../../dialects/openai-responses/index.js';
import type { GatewayService } from '../../ports/gateway-service.js';
import { serveCompare } from '../serve-compare.js';
import { serveCompletion } from '../serve-completion.js';
import { serveEmbeddings } from '../serve-embeddings.js';

/** OpenAI-format endpoints: chat completions, responses, embeddings, and the A/B comparison of several models. */
export function registerOpenAIRoutes(app: FastifyInstance, service: GatewayService): void {
  const config = { dialect: openAIChatDialect };
  app.post('/v1/chat/completions', { config }, async function chatCompletions(request, reply) {
    await serveCompletion(service, openAIChatDialect, request, reply, {});
  });
  app.post('/v1/responses', { config: { dialect: openAIResponsesDialect } }, async function responses(request, reply) {
    await serveCompletion(service, openAIResponsesDialect, request, reply, {});
  });
  app.post('/v1/responses/input_tokens', { config: { dialect: openAIResponsesDialect } }, async function responseInputTokens(request) {
    const canonical = parseOpenAIResponsesRequest(request.body);
    const snapshot = service.snapshot();
    checkRequestLimits(canonical, snapshot.inputLimits);
    return renderInputTokens(snapshot.countTokens(canonical));
  });
  app.post('/v1/embeddings', { config }, async function embeddings(request, reply) {
    await serveEmbeddings(service, request, reply, {
      parse: parseOpenAIEmbeddingsRequest,
      render: renderOpenAIEmbeddingsResponse,
      dialect: openAIChatDialect,
    });
  });
  app.post('/v1/compare', { config }, async function compare(request, reply) {
    await serveCompare(service, request, reply);
  });
  app.get('/v1/chat/completions', { config }, async function wrongMethod() {
    throw new GatewayError('invalid_request', 'Use POST for /v1/chat/completions');
  });
}
