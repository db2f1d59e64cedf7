import type { FastifyInstance } from 'fastify';
import type { GatewayRuntime } from '../../app/gateway.js';
import { listModels } from '../../app/list-models.js';

/** Liveness, readiness and the model list. */
export function registerSystemRoutes(app: FastifyInstance, runtime: GatewayRuntime): void {
  app.get('/health', async function health() {
    return { status: 'ok' };
  });
  app.get('/ready', async function ready() {
    return { status: 'ready', config: runtime.config.source, providers: runtime.config.providers.size };
  });
  app.get('/metrics', async function metrics(_request, reply) {
    if (!runtime.metrics) return reply.code(404).send('metrics disabled\n');
    const text = await runtime.metrics.metricsText();
    return reply.header('content-type', runtime.metrics.contentType).send(text);
  });
  const created = Math.floor(Date.now() / 1000);
  app.get('/v1/models', async function models() {
    return { object: 'list', data: listModels(runtime.config).map((id) => ({ id, object: 'model', created, owned_by: id.split('/')[0] ?? 'switchyard' })) };
  });
}
