import type { ServerResponse } from 'node:http';
import { anthropicWire } from './anthropic-wire.js';
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

interface StoredBatch {
  id: string;
  createdAt: string;
  lines: Array<{ customId: string; body: unknown }>;
  clock: FakeBatchClock;
  results?: string;
  counts: { processing: number; succeeded: number; errored: number; canceled: number; expired: number };
}

const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;
const CREATED = '2026-12-05T06:00:00.000000Z';

function anthropicError(res: ServerResponse, status: number, type: string, message: string): void {
  sendJson(res, status, { type: 'error', error: { type, message } }, { 'request-id': 'req_fakebatch' });
}

/**
 * A fake Anthropic Message Batches API (`/v1/messages/batches` create, retrieve, cancel and the `results_url` JSONL
 * with succeeded / errored / canceled / expired results), in Anthropic's documented objects.
 */
export async function startFakeAnthropicBatch(options: FakeBatchOptions = {}): Promise<FakeBatchApi> {
  const batches = new Map<string, StoredBatch>();
  const submitted: FakeBatchApi['submitted'] = new Map();
  const usage = options.usage ?? DEFAULT_BATCH_USAGE;
  let serial = 0;
  let origin = '';

  const finish = (batch: StoredBatch): void => {
    const lines: string[] = [];
    batch.counts.processing = 0;
    batch.lines.forEach((line, index) => {
      const outcome = batch.clock.cancelled ? 'canceled' : (options.outcomeFor?.(line.customId) ?? 'succeeded');
      let result: unknown;
      if (outcome === 'succeeded') {
        result = { type: 'succeeded', message: answerBody(anthropicWire, '/v1/messages', line.body, line.customId, index + 1, usage) };
        batch.counts.succeeded += 1;
      } else if (outcome === 'errored') {
        result = { type: 'errored', error: { type: 'error', error: { type: 'invalid_request_error', message: `messages: at least one message is required (${line.customId})` } } };
        batch.counts.errored += 1;
      } else if (outcome === 'expired') {
        result = { type: 'expired' };
        batch.counts.expired += 1;
      } else {
        result = { type: 'canceled' };
        batch.counts.canceled += 1;
      }
      const text = JSON.stringify({ custom_id: line.customId, result });
      lines.push(text);
      if (options.repeatResults) lines.push(text);
    });
    batch.results = `${lines.join('\n')}\n`;
  };

  const batchObject = (batch: StoredBatch) => ({
    id: batch.id,
    type: 'message_batch',
    processing_status: batch.results !== undefined ? 'ended' : batch.clock.cancelled ? 'canceling' : 'in_progress',
    request_counts: { ...batch.counts },
    ended_at: batch.results !== undefined ? '2026-12-05T06:10:00.000000Z' : null,
    created_at: batch.createdAt,
    expires_at: '2026-12-06T06:00:00.000000Z',
    archived_at: null,
    cancel_initiated_at: batch.clock.cancelled ? '2026-12-05T06:05:00.000000Z' : null,
    results_url: batch.results !== undefined ? `${origin}/v1/messages/batches/${batch.id}/results` : null,
  });

  const server = await startBatchServer((call, _req, res) => {
    if (options.apiKey !== undefined && presentedKey(call.headers) !== options.apiKey) return anthropicError(res, 401, 'authentication_error', 'invalid x-api-key');
    if (typeof call.headers['anthropic-version'] !== 'string') return anthropicError(res, 400, 'invalid_request_error', 'anthropic-version: header is required');
    const path = new URL(call.path, 'http://fake').pathname;
    if (call.method === 'POST' && path === '/v1/messages/batches') {
      const body = JSON.parse(call.body || '{}') as { requests?: Array<{ custom_id?: unknown; params?: { model?: unknown; max_tokens?: unknown; messages?: unknown } }> };
      const requests = body.requests ?? [];
      if (requests.length === 0) return anthropicError(res, 400, 'invalid_request_error', 'requests: List should have at least 1 item after validation, not 0');
      const seen = new Set<string>();
      for (const [index, request] of requests.entries()) {
        const id = request.custom_id;
        if (typeof id !== 'string' || !CUSTOM_ID.test(id)) return anthropicError(res, 400, 'invalid_request_error', `requests.${index}.custom_id: String should match pattern '^[a-zA-Z0-9_-]{1,64}$'`);
        if (seen.has(id)) return anthropicError(res, 400, 'invalid_request_error', `Duplicate custom_id: ${id}`);
        seen.add(id);
        const params = request.params;
        if (typeof params?.model !== 'string' || typeof params.max_tokens !== 'number' || !Array.isArray(params.messages)) {
          return anthropicError(res, 400, 'invalid_request_error', `requests.${index}.params: model, max_tokens and messages are required`);
        }
      }
      serial += 1;
      const batch: StoredBatch = {
        id: `msgbatch_fake${String(serial).padStart(20, '0')}`,
        createdAt: CREATED,
        lines: requests.map((request) => ({ customId: String(request.custom_id), body: request.params })),
        clock: new FakeBatchClock(options.pollsToFinish ?? 1),
        counts: { processing: requests.length, succeeded: 0, errored: 0, canceled: 0, expired: 0 },
      };
      batches.set(batch.id, batch);
      submitted.set(batch.id, batch.lines);
      return sendJson(res, 200, batchObject(batch));
    }
    const match = /^\/v1\/messages\/batches\/([^/]+)(\/cancel|\/results)?$/.exec(path);
    const batch = match ? batches.get(decodeURIComponent(match[1] ?? '')) : undefined;
    if (!match || !batch) return anthropicError(res, 404, 'not_found_error', 'Not found');
    if (match[2] === '/cancel' && call.method === 'POST') {
      if (batch.results === undefined) batch.clock.cancelled = true;
      return sendJson(res, 200, batchObject(batch));
    }
    if (match[2] === '/results' && call.method === 'GET') {
      if (batch.results === undefined) return anthropicError(res, 400, 'invalid_request_error', `Batch ${batch.id} has not ended processing yet`);
      res.writeHead(200, { 'content-type': 'application/binary' }).end(batch.results);
      return;
    }
    if (match[2] !== undefined || call.method !== 'GET') return anthropicError(res, 404, 'not_found_error', 'Not found');
    if (batch.results === undefined && batch.clock.poll()) finish(batch);
    return sendJson(res, 200, batchObject(batch));
  });
  origin = server.url;
  return { ...server, submitted };
}
