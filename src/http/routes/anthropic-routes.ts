import type { FastifyInstance } from 'fastify';
import { checkRequestLimits } from '../../core/index.js';
import { anthropicMessagesDialect, parseCountTokensRequest, renderCountTokens } from '../../dialects/anthropic-messages/index.js';
import type { GatewayService } from '../../ports/gateway-service.js';
import { serveCompletion } from '../serve-completion.js';

/** Anthropic Messages endpoints. */
export function registerAnthropicRoutes(app: FastifyInstance, service: GatewayService): void {
  const config = { dialect: anthropicMessagesDialect };
  app.post('/v1/messages', { config }, async function messages(request, reply) {
    await serveCompletion(service, anthropicMessagesDialect, request, reply, {});
  });
  app.post('/v1/messages/count_tokens', { config }, async function countTokens(request) {
    const canonical = parseCountTokensRequest(request.body, { headers: request.headers, params: {} });
    const snapshot = service.snapshot();
    checkRequestLimits(canonical, snapshot.inputLimits);
    return renderCountTokens(snapshot.countTokens(canonical));
  });
}
