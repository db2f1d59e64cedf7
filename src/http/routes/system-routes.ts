import type { FastifyInstance } from 'fastify';
import type { GatewayService } from '../../ports/gateway-service.js';
import { modelsVisibleTo } from '../models-visible-to.js';

/** Liveness, readiness and the model list. */
export function registerSystemRoutes(app: FastifyInstance, service: GatewayService): void {
  app.get('/health', async function health() {
    return { status: 'ok' };
  });
  app.get('/ready', async function ready(_request, reply) {
    const readiness = await service.snapshot().readiness();
    const serving = readiness.status === 'ready' || readiness.status === 'degraded';
    return reply.code(serving ? 200 : 503).send(readiness);
  });
  app.get('/metrics', async function metrics(_request, reply) {
    if (!service.metrics) return reply.code(404).send('metrics disabled\n');
    const { contentType, text } = await service.metrics();
    return reply.header('content-type', contentType).send(text);
  });
  const created = Math.floor(Date.now() / 1000);
  const createdAt = new Date(created * 1000).toISOString();
  app.get('/v1/models', async function models(request) {
    const ids = modelsVisibleTo(request.caller, service.snapshot().listModels());
    // The Anthropic SDK lists models at the same path, identified by its version header, and expects its page shape.
    if (request.headers['anthropic-version'] !== undefined) {
      const data = ids.map((id) => ({ type: 'model', id, display_name: id, created_at: createdAt }));
      return { data, has_more: false, first_id: ids[0] ?? null, last_id: ids.at(-1) ?? null };
    }
    return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created, owned_by: id.split('/')[0] ?? 'switchyard' })) };
  });
}
