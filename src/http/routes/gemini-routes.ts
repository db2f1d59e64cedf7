import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { GatewayError } from '../../core/index.js';
import { geminiDialect } from '../../dialects/gemini/index.js';
import type { GatewayService } from '../../ports/gateway-service.js';
import { modelsVisibleTo } from '../models-visible-to.js';
import { serveCompletion } from '../serve-completion.js';

const METHOD = /^(.+):(generateContent|streamGenerateContent)$/;

/** Gemini generateContent endpoints; the model and method live in the path (`models/{model}:{method}`, or `{provider}/{model}:{method}`). */
export function registerGeminiRoutes(app: FastifyInstance, service: GatewayService): void {
  const config = { dialect: geminiDialect };
  app.get('/v1beta/models', { config }, async function listGeminiModels(request) {
    const models = modelsVisibleTo(request.caller, service.snapshot().listModels()).map((id) => ({
      name: `models/${id}`,
      displayName: id,
      supportedGenerationMethods: ['generateContent', 'streamGenerateContent'],
    }));
    return { models };
  });
  const generate = (prefix: string) =>
    async function generateContent(request: FastifyRequest, reply: FastifyReply): Promise<void> {
      const tail = decodeURIComponent((request.params as Record<string, string>)['*'] ?? '');
      const match = METHOD.exec(tail);
      if (!match) throw new GatewayError('not_found', `Unknown Gemini method in ${prefix}${tail}; use :generateContent or :streamGenerateContent`);
      await serveCompletion(service, geminiDialect, request, reply, { model: match[1] as string, method: match[2] as string });
    };
  app.post('/v1beta/models/*', { config }, generate('models/'));
  // Clients that put a `provider/model` id straight into the path, as the Vercel AI SDK does for ids with a slash.
  app.post('/v1beta/*', { config }, generate(''));
}
