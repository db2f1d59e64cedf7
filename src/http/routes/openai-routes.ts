import type { FastifyInstance } from 'fastify';
import { GatewayError } from '../../core/index.js';
import { openAIChatDialect, parseOpenAIEmbeddingsRequest, renderOpenAIEmbeddingsResponse } from '../../dialects/openai-chat/index.js';
import type { GatewayService } from '../../ports/gateway-service.js';
import { serveCompare } from '../serve-compare.js';
import { serveCompletion } from '../serve-completion.js';
import { serveEmbeddings } from '../serve-embeddings.js';

/** OpenAI-format endpoints: chat completions, embeddings, and the A/B comparison of several models (Responses: responses-routes). */
export function registerOpenAIRoutes(app: FastifyInstance, service: GatewayService): void {
  const config = { dialect: openAIChatDialect };
  app.post('/v1/chat/completions', { config }, async function chatCompletions(request, reply) {
    await serveCompletion(service, openAIChatDialect, request, reply, {});
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
