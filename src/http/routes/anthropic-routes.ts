import type { FastifyInstance } from 'fastify';
import type { GatewayRuntime } from '../../app/gateway.js';
import { anthropicMessagesDialect, parseCountTokensRequest, renderCountTokens } from '../../dialects/anthropic-messages/index.js';
import { countPromptTokens } from '../../app/count-tokens.js';
import { serveCompletion } from '../serve-completion.js';

/** Anthropic Messages endpoints. */
export function registerAnthropicRoutes(app: FastifyInstance, runtime: GatewayRuntime): void {
  const config = { dialect: anthropicMessagesDialect };
  app.post('/v1/messages', { config }, async function messages(request, reply) {
    await serveCompletion(runtime, anthropicMessagesDialect, request, reply, {});
  });
  app.post('/v1/messages/count_tokens', { config }, async function countTokens(request) {
    const canonical = parseCountTokensRequest(request.body, { headers: request.headers, params: {} });
    return renderCountTokens(countPromptTokens(canonical));
  });
}
