import type { ServerResponse } from 'node:http';
import {
  DEFAULT_BATCH_USAGE,
  FakeBatchClock,
  answerBody,
  presentedKey,
  sendJson,
  startBatchServer,
  type FakeBatchApi,
  type FakeBatchOptions,
} from './fake-batch-server.js';
import { openAiWire } from './openai-wire.js';

interface StoredFile {
  id: string;
  filename: string;
  purpose: string;
  content: string;
  createdAt: number;
}

interface StoredBatch {
  id: string;
  endpoint: string;
  inputFileId: string;
  createdAt: number;
  lines: Array<{ customId: string; body: unknown }>;
  clock: FakeBatchClock;
  outputFileId?: string;
  errorFileId?: string;
  status?: 'completed' | 'expired' | 'cancelled';
  counts: { total: number; completed: number; failed: number };
}

const ENDPOINTS = new Set(['/v1/chat/completions', '/v1/embeddings', '/v1/responses', '/v1/completions']);
const NOW = 1_733_400_000;

function openAIError(res: ServerResponse, status: number, message: string, param: string | null = null, type = 'invalid_request_error'): void {
  sendJson(res, status, { error: { message, type, param, code: null } });
}

function embeddingBody(body: unknown, usage: { input: number }): unknown {
  const input = (body as { input?: unknown }).input;
  const count = Array.isArray(input) ? input.length : 1;
  return {
    object: 'list',
    data: Array.from({ length: count }, (_, index) => ({ object: 'embedding', index, embedding: [0.25, -0.5, 0.125] })),
    model: (body as { model?: string }).model ?? 'text-embedding-3-small',
    usage: { prompt_tokens: usage.input, total_tokens: usage.input },
  };
}

/**
 * A fake OpenAI Files and Batch API (`/v1/files` multipart upload with purpose `batch`, `/v1/batches` create,
 * retrieve and cancel, `/v1/files/{id}/content` and delete), in OpenAI's documented objects and JSONL files.
 */
export async function startFakeOpenAIBatch(options: FakeBatchOptions = {}): Promise<FakeBatchApi> {
  const files = new Map<string, StoredFile>();
  const batches = new Map<string, StoredBatch>();
  const submitted: FakeBatchApi['submitted'] = new Map();
  const usage = options.usage ?? DEFAULT_BATCH_USAGE;
  let serial = 0;

  const newFile = (filename: string, purpose: string, content: string): StoredFile => {
    serial += 1;
    const file = { id: `file-fake${String(serial).padStart(20, '0')}`, filename, purpose, content, createdAt: NOW + serial };
    files.set(file.id, file);
    return file;
  };

  const fileObject = (file: StoredFile) => ({
    id: file.id,
    object: 'file',
    bytes: Buffer.byteLength(file.content),
    created_at: file.createdAt,
    filename: file.filename,
    purpose: file.purpose,
    status: 'processed',
    expires_at: null,
    status_details: null,
  });

  const finish = (batch: StoredBatch): void => {
    const output: string[] = [];
    const errors: string[] = [];
    let expired = false;
    batch.lines.forEach((line, index) => {
      const requestId = `req_fake${index}`;
      const id = `batch_req_fake${String(index).padStart(8, '0')}`;
      const outcome = batch.clock.cancelled ? 'cancelled' : (options.outcomeFor?.(line.customId) ?? 'succeeded');
      let text: string | undefined;
      if (outcome === 'succeeded') {
        const body = batch.endpoint === '/v1/embeddings' ? embeddingBody(line.body, usage) : answerBody(openAiWire, batch.endpoint, line.body, line.customId, index + 1, usage);
        text = JSON.stringify({ id, custom_id: line.customId, response: { status_code: 200, request_id: requestId, body }, error: null });
        output.push(text);
        batch.counts.completed += 1;
      } else if (outcome === 'errored') {
        const body = { error: { message: `Invalid value for 'messages' in line ${line.customId}.`, type: 'invalid_request_error', param: 'messages', code: null } };
        text = JSON.stringify({ id, custom_id: line.customId, response: { status_code: 400, request_id: requestId, body }, error: null });
        errors.push(text);
        batch.counts.failed += 1;
      } else if (outcome === 'expired') {
        expired = true;
        text = JSON.stringify({
          id,
          custom_id: line.customId,
          response: null,
          error: { code: 'batch_expired', message: 'This request could not be executed before the completion window expired.' },
        });
        errors.push(text);
      }
      if (text !== undefined && options.repeatResults) (outcome === 'succeeded' ? output : errors).push(text);
    });
    batch.status = batch.clock.cancelled ? 'cancelled' : expired ? 'expired' : 'completed';
    if (output.length > 0) batch.outputFileId = newFile('batch_output.jsonl', 'batch_output', `${output.join('\n')}\n`).id;
    if (errors.length > 0) batch.errorFileId = newFile('batch_errors.jsonl', 'batch_output', `${errors.join('\n')}\n`).id;
  };

  const batchObject = (batch: StoredBatch, status: string) => ({
    id: batch.id,
    object: 'batch',
    endpoint: batch.endpoint,
    model: null,
    errors: null,
    input_file_id: batch.inputFileId,
    completion_window: '24h',
    status,
    output_file_id: batch.outputFileId ?? null,
    error_file_id: batch.errorFileId ?? null,
    created_at: batch.createdAt,
    in_progress_at: status === 'validating' ? null : batch.createdAt + 1,
    expires_at: batch.createdAt + 86_400,
    finalizing_at: batch.status ? batch.createdAt + 2 : null,
    completed_at: batch.status === 'completed' ? batch.createdAt + 3 : null,
    failed_at: null,
    expired_at: batch.status === 'expired' ? batch.createdAt + 86_400 : null,
    cancelling_at: batch.clock.cancelled ? batch.createdAt + 2 : null,
    cancelled_at: batch.status === 'cancelled' ? batch.createdAt + 3 : null,
    request_counts: { ...batch.counts },
    usage: null,
    metadata: null,
  });

  const server = await startBatchServer(async (call, req, res) => {
    if (options.apiKey !== undefined && presentedKey(call.headers) !== options.apiKey) {
      return openAIError(res, 401, 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', null);
    }
    const url = new URL(call.path, 'http://fake');
    const path = url.pathname;
    if (call.method === 'POST' && path === '/v1/files') {
      const form = await new Request('http://fake/v1/files', { method: 'POST', headers: { 'content-type': String(req.headers['content-type']) }, body: call.body }).formData();
      const file = form.get('file');
      const purpose = form.get('purpose');
      if (purpose !== 'batch') return openAIError(res, 400, "'purpose' must be 'batch' for a batch input file", 'purpose');
      if (!(file instanceof Blob)) return openAIError(res, 400, "'file' is a required property", 'file');
      const name = file instanceof File ? file.name : 'upload.jsonl';
      return sendJson(res, 200, fileObject(newFile(name, 'batch', await file.text())));
    }
    if (call.method === 'POST' && path === '/v1/batches') {
      const body = JSON.parse(call.body || '{}') as { input_file_id?: string; endpoint?: string; completion_window?: string };
      const input = body.input_file_id === undefined ? undefined : files.get(body.input_file_id);
      if (!input) return openAIError(res, 404, `No such File object: ${body.input_file_id ?? ''}`, 'input_file_id');
      if (!body.endpoint || !ENDPOINTS.has(body.endpoint)) return openAIError(res, 400, 'Invalid endpoint', 'endpoint');
      if (body.completion_window !== '24h') return openAIError(res, 400, "Invalid value for 'completion_window': expected '24h'", 'completion_window');
      const lines = input.content
        .split('\n')
        .filter((line) => line.trim() !== '')
        .map((line) => JSON.parse(line) as { custom_id: string; method: string; url: string; body: unknown });
      if (lines.some((line) => line.url !== body.endpoint || line.method !== 'POST')) return openAIError(res, 400, 'every line must POST to the batch endpoint', 'input_file_id');
      serial += 1;
      const batch: StoredBatch = {
        id: `batch_fake${String(serial).padStart(20, '0')}`,
        endpoint: body.endpoint,
        inputFileId: input.id,
        createdAt: NOW + serial,
        lines: lines.map((line) => ({ customId: line.custom_id, body: line.body })),
        clock: new FakeBatchClock(options.pollsToFinish ?? 1),
        counts: { total: lines.length, completed: 0, failed: 0 },
      };
      batches.set(batch.id, batch);
      submitted.set(batch.id, batch.lines);
      return sendJson(res, 200, batchObject(batch, 'validating'));
    }
    const batchMatch = /^\/v1\/batches\/([^/]+)(\/cancel)?$/.exec(path);
    if (batchMatch) {
      const batch = batches.get(decodeURIComponent(batchMatch[1] ?? ''));
      if (!batch) return openAIError(res, 404, 'No batch found', null);
      if (batchMatch[2] !== undefined && call.method === 'POST') {
        if (batch.status) return openAIError(res, 400, `Cannot cancel a batch with status '${batch.status}'.`, null);
        batch.clock.cancelled = true;
        return sendJson(res, 200, batchObject(batch, 'cancelling'));
      }
      if (call.method !== 'GET') return openAIError(res, 405, 'Method not allowed', null);
      if (!batch.status && batch.clock.poll()) finish(batch);
      return sendJson(res, 200, batchObject(batch, batch.status ?? 'in_progress'));
    }
    const fileMatch = /^\/v1\/files\/([^/]+)(\/content)?$/.exec(path);
    if (fileMatch) {
      const file = files.get(decodeURIComponent(fileMatch[1] ?? ''));
      if (!file) return openAIError(res, 404, `No such File object: ${fileMatch[1] ?? ''}`, 'id');
      if (call.method === 'DELETE' && fileMatch[2] === undefined) {
        files.delete(file.id);
        return sendJson(res, 200, { id: file.id, object: 'file', deleted: true });
      }
      if (call.method === 'GET' && fileMatch[2] !== undefined) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(file.content);
        return;
      }
      if (call.method === 'GET') return sendJson(res, 200, fileObject(file));
    }
    return openAIError(res, 404, `Invalid URL (${call.method} ${path})`, null);
  });
  return { ...server, submitted };
}
