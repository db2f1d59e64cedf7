import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../../core/index.js';
import type { BatchJobs } from '../../ports/batch-service.js';
import { renderAdminBatch } from '../batch/render-batch-objects.js';

const idParams = z.object({ id: z.string().min(1).max(200) });
const listQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(50), after: z.string().min(1).max(200).optional() });
const resumeBody = z.object({ cost_cap_usd: z.number().positive().optional() }).nullish();

function fail(reply: FastifyReply, status: number, code: string, message: string): FastifyReply {
  return reply.code(status).send({ error: { code, message } });
}

/** Runs an admin batch action, answering a GatewayError (unknown job, wrong state) in the admin error shape. */
async function answer(reply: FastifyReply, action: () => Promise<unknown>): Promise<unknown> {
  try {
    return { data: await action() };
  } catch (error) {
    if (error instanceof GatewayError && error.status < 500) return fail(reply, error.status, error.code, error.message);
    throw error;
  }
}

/** Result entries as JSON lines, pulled one at a time so a slow reader holds back the store reads (backpressure). */
async function* jsonLines(entries: AsyncIterable<unknown>): AsyncIterable<string> {
  for await (const entry of entries) yield `${JSON.stringify(entry)}\n`;
}

/**
 * `/admin/batches` for the dashboard: every job (all keys) with its counts, cost, ETA, pause reason and delegation;
 * one job; its finished lines' results (any format, any key); resume a paused one (optionally with a new cost cap);
 * cancel one.
 */
export function registerAdminBatchRoutes(scope: FastifyInstance, batches: () => BatchJobs | undefined): void {
  scope.get('/batches', async function listBatches(request, reply) {
    const parsed = listQuery.safeParse(request.query);
    if (!parsed.success) return fail(reply, 400, 'invalid_request', parsed.error.issues[0]?.message ?? 'invalid query');
    const jobs = batches();
    if (!jobs) return { data: [], has_more: false };
    const page = await jobs.list({ limit: parsed.data.limit, ...(parsed.data.after ? { after: parsed.data.after } : {}) }, undefined);
    return { data: page.data.map(renderAdminBatch), has_more: page.hasMore };
  });
  scope.get('/batches/:id', async function getBatch(request, reply) {
    const { id } = idParams.parse(request.params);
    const jobs = batches();
    if (!jobs) return fail(reply, 404, 'not_found', `No batch with id ${id}`);
    return answer(reply, async () => renderAdminBatch(await jobs.get(id, undefined)));
  });
  scope.get('/batches/:id/results', async function batchResults(request, reply) {
    const { id } = idParams.parse(request.params);
    const jobs = batches();
    if (!jobs) return fail(reply, 404, 'not_found', `No batch with id ${id}`);
    // Looked up first so an unknown id is a JSON 404, not an empty download.
    const found = await answer(reply, async () => jobs.get(id, undefined));
    if (reply.sent) return found;
    return reply
      .type('application/jsonl')
      .header('content-disposition', `attachment; filename="${id}-results.jsonl"`)
      .send(Readable.from(jsonLines(jobs.results(id, undefined))));
  });
  scope.post('/batches/:id/resume', async function resumeBatch(request, reply) {
    const { id } = idParams.parse(request.params);
    const body = resumeBody.parse(request.body);
    const jobs = batches();
    if (!jobs) return fail(reply, 404, 'not_found', `No batch with id ${id}`);
    return answer(reply, async () => renderAdminBatch(await jobs.resume(id, body?.cost_cap_usd === undefined ? {} : { costCapUsd: body.cost_cap_usd })));
  });
  scope.post('/batches/:id/cancel', async function cancelBatch(request, reply) {
    const { id } = idParams.parse(request.params);
    const jobs = batches();
    if (!jobs) return fail(reply, 404, 'not_found', `No batch with id ${id}`);
    return answer(reply, async () => renderAdminBatch(await jobs.cancel(id, undefined)));
  });
}
