import type { FastifyInstance } from 'fastify';
import type { GatewayRuntime } from '../../app/gateway.js';
import { anthropicMessagesDialect, parseCountTokensRequest, renderCountTokens } from '../../dialects/anthropic-messages/index.js';
import { countPromptTokens } from '../../app/count-tokens.js';
import { findRoute } from '../../routing/resolve-route.js';
import { serveCompletion } from '../serve-completion.js';

/** Anthropic Messages endpoints. */
export function registerAnthropicRoutes(app: FastifyInstance, runtime: GatewayRuntime): void {
  const config = { dialect: anthropicMessagesDialect };
  app.post('/v1/messages', { config }, async function messages(request, reply) {
    await serveCompletion(runtime, anthropicMessagesDialect, request, reply, {});
  });
  app.post('/v1/messages/count_tokens', { config }, async function countTokens(request) {
    const canonical = parseCountTokensRequest(request.body, { headers: request.headers, params: {} });
    const first = findRoute(canonical.model, runtime.config)?.targets[0];
    const provider = first ? runtime.config.providers.get(first.providerId) : undefined;
    const tokens = provider && first ? countPromptTokens(canonical, { provider, model: first.model }) : countPromptTokens(canonical);
    return renderCountTokens(tokens);
  });
}
