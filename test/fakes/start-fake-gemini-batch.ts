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
import { geminiWire } from './gemini-wire.js';

interface StoredBatch {
  name: string;
  model: string;
  displayName: string;
  lines: Array<{ customId: string; body: unknown }>;
  clock: FakeBatchClock;
  state?: 'BATCH_STATE_SUCCEEDED' | 'BATCH_STATE_CANCELLED' | 'BATCH_STATE_EXPIRED';
  responses: unknown[];
  succeeded: number;
  failed: number;
}

const BATCH_TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch';
const OUTPUT_TYPE = 'type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatchOutput';
const TIME = '2026-12-05T06:00:00.000000Z';

function googleError(res: ServerResponse, code: number, status: string, message: string): void {
  sendJson(res, code, { error: { code, message, status } });
}

/**
 * A fake Gemini batch mode (`models/{model}:batchGenerateContent` with inlined requests, `GET batches/{id}` returning
 * the operation with inlined responses once done, `batches/{id}:cancel`), in the Gemini API's documented JSON
 * (int64 counts as strings).
 */
export async function startFakeGeminiBatch(options: FakeBatchOptions = {}): Promise<FakeBatchApi> {
  const batches = new Map<string, StoredBatch>();
  const submitted: FakeBatchApi['submitted'] = new Map();
  const usage = options.usage ?? DEFAULT_BATCH_USAGE;
  let serial = 0;

  const finish = (batch: StoredBatch): void => {
    let expired = false;
    batch.lines.forEach((line, index) => {
      const outcome = batch.clock.cancelled ? 'cancelled' : (options.outcomeFor?.(line.customId) ?? 'succeeded');
      let item: unknown;
      if (outcome === 'succeeded') {
        item = { response: answerBody(geminiWire, `/v1beta/models/${batch.model}:generateContent`, line.body, line.customId, index + 1, usage), metadata: { key: line.customId } };
        batch.succeeded += 1;
      } else if (outcome === 'errored') {
        item = { error: { code: 3, message: `* GenerateContentRequest.contents: contents is not specified (${line.customId})`, status: 'INVALID_ARGUMENT' }, metadata: { key: line.customId } };
        batch.failed += 1;
      } else if (outcome === 'expired') {
        expired = true;
      }
      if (item !== undefined) {
        batch.responses.push(item);
        if (options.repeatResults) batch.responses.push(item);
      }
    });
    batch.state = batch.clock.cancelled ? 'BATCH_STATE_CANCELLED' : expired ? 'BATCH_STATE_EXPIRED' : 'BATCH_STATE_SUCCEEDED';
  };

  const operation = (batch: StoredBatch) => {
    const done = batch.state !== undefined;
    const total = batch.lines.length;
    const stats: Record<string, string> = { requestCount: String(total) };
    if (done) {
      stats.successfulRequestCount = String(batch.succeeded);
      if (batch.failed > 0) stats.failedRequestCount = String(batch.failed);
    } else {
      stats.pendingRequestCount = String(total);
    }
    const output = done ? { inlinedResponses: { inlinedResponses: batch.responses } } : undefined;
    return {
      name: batch.name,
      metadata: {
        '@type': BATCH_TYPE,
        model: `models/${batch.model}`,
        displayName: batch.displayName,
        ...(output ? { output } : {}),
        createTime: TIME,
        ...(done ? { endTime: TIME } : {}),
        updateTime: TIME,
        batchStats: stats,
        state: batch.state ?? (batch.clock.ended ? 'BATCH_STATE_RUNNING' : 'BATCH_STATE_PENDING'),
        name: batch.name,
      },
      ...(done ? { done: true, response: { '@type': OUTPUT_TYPE, ...output } } : {}),
    };
  };

  const server = await startBatchServer((call, _req, res) => {
    if (options.apiKey !== undefined && presentedKey(call.headers) !== options.apiKey) {
      // The recorded answer to a bad key: HTTP 400 with an ErrorInfo reason API_KEY_INVALID.
      const reply = geminiWire.errorReply(400, undefined, { ...geminiWire.readRequest(call.path, undefined), seq: 0 });
      res.writeHead(400, reply.headers).end(reply.body);
      return;
    }
    const path = new URL(call.path, 'http://fake').pathname;
    const create = /^\/v1beta\/models\/([^/:]+):batchGenerateContent$/.exec(path);
    if (create && call.method === 'POST') {
      const body = JSON.parse(call.body || '{}') as {
        batch?: { displayName?: string; inputConfig?: { requests?: { requests?: Array<{ request?: { contents?: unknown }; metadata?: { key?: string } }> } } };
      };
      const requests = body.batch?.inputConfig?.requests?.requests;
      if (!body.batch?.displayName) return googleError(res, 400, 'INVALID_ARGUMENT', 'batch.display_name is required');
      if (!requests || requests.length === 0) return googleError(res, 400, 'INVALID_ARGUMENT', 'batch.input_config.requests is required');
      if (requests.some((r) => !Array.isArray(r.request?.contents))) return googleError(res, 400, 'INVALID_ARGUMENT', '* GenerateContentRequest.contents: contents is not specified');
      serial += 1;
      const batch: StoredBatch = {
        name: `batches/fake${String(serial).padStart(16, '0')}`,
        model: decodeURIComponent(create[1] ?? ''),
        displayName: body.batch.displayName,
        lines: requests.map((r, index) => ({ customId: r.metadata?.key ?? String(index), body: r.request })),
        clock: new FakeBatchClock(options.pollsToFinish ?? 1),
        responses: [],
        succeeded: 0,
        failed: 0,
      };
      batches.set(batch.name, batch);
      submitted.set(batch.name, batch.lines);
      return sendJson(res, 200, operation(batch));
    }
    const match = /^\/v1beta\/(batches\/[^/:]+)(:cancel)?$/.exec(path);
    const batch = match ? batches.get(match[1] ?? '') : undefined;
    if (!match || !batch) return googleError(res, 404, 'NOT_FOUND', 'Requested entity was not found.');
    if (match[2] === ':cancel' && call.method === 'POST') {
      if (batch.state === undefined) batch.clock.cancelled = true;
      return sendJson(res, 200, {});
    }
    if (match[2] !== undefined || call.method !== 'GET') return googleError(res, 404, 'NOT_FOUND', 'Requested entity was not found.');
    if (batch.state === undefined && batch.clock.poll()) finish(batch);
    return sendJson(res, 200, operation(batch));
  });
  return { ...server, submitted };
}
