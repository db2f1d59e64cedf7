import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { GatewayError } from '../../core/index.js';
import { anthropicMessagesDialect } from '../../dialects/anthropic-messages/index.js';
import { openAIChatDialect } from '../../dialects/openai-chat/index.js';
import type { BatchFiles, BatchJobs } from '../../ports/batch-service.js';
import type { GatewayService } from '../../ports/gateway-service.js';
import { renderAnthropicBatch, renderOpenAIBatch, renderOpenAIFile } from '../batch/render-batch-objects.js';
import { toValidationError } from '../../dialects/shared/to-validation-error.js';

/** The largest batch input file an upload may carry. */
const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;

const idParams = z.object({ id: z.string().min(1).max(200) });
const listQuery = z.object({ after: z.string().min(1).max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(20), purpose: z.string().max(50).optional() });
const anthropicListQuery = z.object({ after_id: z.string().min(1).max(200).optional(), limit: z.coerce.number().int().min(1).max(1000).default(20) });
const metadataSchema = z.record(z.string().max(64), z.string().max(512)).refine((value) => Object.keys(value).length <= 16, 'at most 16 metadata pairs');
const createBatchBody = z.object({
  input_file_id: z.string().min(1).max(200),
  endpoint: z.string().min(1).max(100),
  completion_window: z.string().max(20),
  metadata: metadataSchema.nullish(),
});
const anthropicCreateBody = z.object({
  requests: z.array(z.object({ custom_id: z.string().max(200), params: z.unknown() })).min(1),
});

/** The batch API, or the error saying what turns it on. */
function batchesOf(service: GatewayService): { files: BatchFiles; jobs: BatchJobs } {
  if (!service.batches) throw new GatewayError('invalid_request', 'The batch API needs the request store: set storage.url (sqlite://… or postgres://…) in the config');
  return service.batches;
}

function parse<T>(schema: z.ZodType<T>, value: unknown): T {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw toValidationError(parsed.error);
  return parsed.data;
}

/** The gateway's own base URL as the client reached it, for Anthropic's `results_url`. */
function baseUrlOf(request: FastifyRequest): string {
  return `${request.protocol}://${request.host}`;
}

/** Reads a multipart upload's `file` and `purpose` fields. */
async function readUpload(request: FastifyRequest): Promise<{ filename: string; purpose: string; content: Buffer }> {
  if (!request.isMultipart()) throw new GatewayError('invalid_request', 'Upload the file as multipart/form-data with the fields file and purpose', { param: 'file' });
  let purpose: string | undefined;
  let file: { filename: string; content: Buffer } | undefined;
  for await (const part of request.parts({ limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 12 } })) {
    if (part.type === 'file') {
      if (part.fieldname !== 'file') {
        part.file.resume();
        continue;
      }
      const content = await part.toBuffer();
      if (part.file.truncated) throw new GatewayError('request_too_large', `A batch file may hold at most ${MAX_UPLOAD_BYTES} bytes`, { param: 'file' });
      file = { filename: part.filename || 'upload.jsonl', content };
    } else if (part.fieldname === 'purpose' && typeof part.value === 'string') {
      purpose = part.value;
    }
  }
  if (!file) throw new GatewayError('invalid_request', 'Missing the file field', { param: 'file' });
  if (purpose === undefined) throw new GatewayError('invalid_request', 'Missing the purpose field', { param: 'purpose' });
  return { ...file, purpose };
}

/**
 * OpenAI's Files and Batch API (`/v1/files`, `/v1/batches`) and Anthropic's Message Batches (`/v1/messages/batches`),
 * over the gateway's batch jobs. A virtual key sees only its own files and jobs.
 */
export function registerBatchRoutes(app: FastifyInstance, service: GatewayService): void {
  const config = { dialect: openAIChatDialect };
  app.register(async function uploadScope(scope) {
    // Multipart parsing only here: every other route keeps refusing form bodies (a cross-site form cannot reach them).
    await scope.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1 } });
    scope.post('/v1/files', { config }, async function uploadFile(request) {
      const upload = await readUpload(request);
      return renderOpenAIFile(await batchesOf(service).files.upload(upload, request.caller));
    });
  });
  app.get('/v1/files', { config }, async function listFiles(request) {
    const query = parse(listQuery, request.query);
    const page = await batchesOf(service).files.list(query, request.caller);
    const data = page.data.map(renderOpenAIFile);
    return { object: 'list', data, has_more: page.hasMore, first_id: page.data[0]?.id ?? null, last_id: page.data.at(-1)?.id ?? null };
  });
  app.get('/v1/files/:id', { config }, async function getFile(request) {
    const { id } = parse(idParams, request.params);
    return renderOpenAIFile(await batchesOf(service).files.get(id, request.caller));
  });
  app.get('/v1/files/:id/content', { config }, async function fileContent(request, reply) {
    const { id } = parse(idParams, request.params);
    const content = await batchesOf(service).files.content(id, request.caller);
    return reply.type('application/jsonl').send(content);
  });
  app.delete('/v1/files/:id', { config }, async function deleteFile(request) {
    const { id } = parse(idParams, request.params);
    await batchesOf(service).files.remove(id, request.caller);
    return { id, object: 'file', deleted: true };
  });

  app.post('/v1/batches', { config }, async function createBatch(request) {
    const body = parse(createBatchBody, request.body);
    const view = await batchesOf(service).jobs.create(
      { format: 'openai', endpoint: body.endpoint, inputFileId: body.input_file_id, completionWindow: body.completion_window, metadata: body.metadata ?? {} },
      request.caller,
    );
    return renderOpenAIBatch(view);
  });
  app.get('/v1/batches', { config }, async function listBatches(request) {
    const query = parse(listQuery, request.query);
    const page = await batchesOf(service).jobs.list({ format: 'openai', limit: query.limit, ...(query.after ? { after: query.after } : {}) }, request.caller);
    const data = page.data.map(renderOpenAIBatch);
    return { object: 'list', data, has_more: page.hasMore, first_id: page.data[0]?.job.id ?? null, last_id: page.data.at(-1)?.job.id ?? null };
  });
  app.get('/v1/batches/:id', { config }, async function getBatch(request) {
    const { id } = parse(idParams, request.params);
    return renderOpenAIBatch(await batchesOf(service).jobs.get(id, request.caller));
  });
  app.post('/v1/batches/:id/cancel', { config }, async function cancelBatch(request) {
    const { id } = parse(idParams, request.params);
    return renderOpenAIBatch(await batchesOf(service).jobs.cancel(id, request.caller));
  });

  const anthropic = { dialect: anthropicMessagesDialect };
  app.post('/v1/messages/batches', { config: anthropic }, async function createMessageBatch(request) {
    const body = parse(anthropicCreateBody, request.body);
    const requests = body.requests.map((entry) => ({ customId: entry.custom_id, params: entry.params }));
    return renderAnthropicBatch(await batchesOf(service).jobs.create({ format: 'anthropic', requests }, request.caller), baseUrlOf(request));
  });
  app.get('/v1/messages/batches', { config: anthropic }, async function listMessageBatches(request) {
    const query = parse(anthropicListQuery, request.query);
    const page = await batchesOf(service).jobs.list({ format: 'anthropic', limit: query.limit, ...(query.after_id ? { after: query.after_id } : {}) }, request.caller);
    const data = page.data.map((view) => renderAnthropicBatch(view, baseUrlOf(request)));
    return { data, has_more: page.hasMore, first_id: page.data[0]?.job.id ?? null, last_id: page.data.at(-1)?.job.id ?? null };
  });
  app.get('/v1/messages/batches/:id', { config: anthropic }, async function getMessageBatch(request) {
    const { id } = parse(idParams, request.params);
    return renderAnthropicBatch(await batchesOf(service).jobs.get(id, request.caller), baseUrlOf(request));
  });
  app.post('/v1/messages/batches/:id/cancel', { config: anthropic }, async function cancelMessageBatch(request) {
    const { id } = parse(idParams, request.params);
    return renderAnthropicBatch(await batchesOf(service).jobs.cancel(id, request.caller), baseUrlOf(request));
  });
  app.get('/v1/messages/batches/:id/results', { config: anthropic }, async function messageBatchResults(request, reply) {
    const { id } = parse(idParams, request.params);
    const lines: string[] = [];
    for await (const entry of batchesOf(service).jobs.results(id, request.caller)) lines.push(`${JSON.stringify(entry)}\n`);
    return reply.type('application/binary').send(lines.join(''));
  });
}
