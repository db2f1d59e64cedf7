import { GatewayError, isRecord, type Target } from '../../core/index.js';
import type { DelegatedLine, DelegatedResult, DelegatedStatus } from '../../ports/provider-batch-api.js';
import {
  OPENAI_BATCH_CANCELLED_CODE,
  OPENAI_BATCH_EXPIRED_CODE,
  openAIBatchObjectSchema,
  openAIBatchOutputLineSchema,
  openAIFileObjectSchema,
  type OpenAIBatchCreateBody,
  type OpenAIBatchInputLine,
  type OpenAIBatchObject,
  type OpenAIBatchOutputLine,
} from '../../wire/openai-batch/openai-batch-schemas.js';
import { describeFirstIssue } from '../../wire/openai-chat/openai-chat-response-schemas.js';
import { parseJsonLines, translateLines } from '../shared/batch-lines.js';
import { chatLine, embeddingLine, failedLine } from '../shared/delegated-results.js';
import { createOpenAICompatibleAdapter } from './create-openai-compatible-adapter.js';
import { parseOpenAIEmbeddingsResponse } from './openai-embeddings.js';

const adapter = createOpenAICompatibleAdapter('openai');

/** The endpoint each kind of line calls, as a batch's `endpoint` and each input line's `url` name it. */
const ENDPOINTS = { chat: '/v1/chat/completions', embedding: '/v1/embeddings' } as const;

/** Paths under an OpenAI base URL (`…/v1`), as the official SDK builds them. */
export const openAIBatchPaths = {
  files: '/files',
  batches: '/batches',
  batch: (id: string) => `/batches/${encodeURIComponent(id)}`,
  cancel: (id: string) => `/batches/${encodeURIComponent(id)}/cancel`,
  file: (id: string) => `/files/${encodeURIComponent(id)}`,
  content: (id: string) => `/files/${encodeURIComponent(id)}/content`,
};

/** The JSONL input file and the body that creates the batch from it once uploaded. */
export function buildOpenAIBatchInput(lines: readonly DelegatedLine[], target: Target): { jsonl: string; create: (inputFileId: string) => OpenAIBatchCreateBody } {
  const translated = translateLines(lines, target, adapter);
  const endpoint = ENDPOINTS[lines[0]?.kind ?? 'chat'];
  const jsonl = translated.map(({ customId, body }) => `${JSON.stringify({ custom_id: customId, method: 'POST', url: endpoint, body } satisfies OpenAIBatchInputLine)}\n`).join('');
  return { jsonl, create: (inputFileId) => ({ input_file_id: inputFileId, endpoint, completion_window: '24h' }) };
}

function malformed(providerId: string, what: string, detail: string): GatewayError {
  return new GatewayError('upstream_malformed_response', `${providerId} returned ${what} that does not match OpenAI's format: ${detail}`, { provider: providerId });
}

/** The id of an uploaded file (the answer to `POST /files`). */
export function readOpenAIFileId(body: unknown, providerId: string): string {
  const parsed = openAIFileObjectSchema.safeParse(body);
  if (!parsed.success) throw malformed(providerId, 'a file object', describeFirstIssue(parsed.error));
  return parsed.data.id;
}

/** A `batch` object (the answer to create, retrieve and cancel). */
export function readOpenAIBatch(body: unknown, providerId: string): OpenAIBatchObject {
  const parsed = openAIBatchObjectSchema.safeParse(body);
  if (!parsed.success) throw malformed(providerId, 'a batch object', describeFirstIssue(parsed.error));
  return parsed.data;
}

const FINAL: Partial<Record<OpenAIBatchObject['status'], DelegatedStatus['state']>> = {
  completed: 'completed',
  failed: 'failed',
  cancelled: 'cancelled',
  expired: 'expired',
};

/** Where the batch stands; validating, finalizing and cancelling are still in progress. */
export function openAIBatchStatus(batch: OpenAIBatchObject): DelegatedStatus {
  const status: DelegatedStatus = { state: FINAL[batch.status] ?? 'in_progress' };
  if (batch.request_counts) {
    status.total = batch.request_counts.total;
    status.completed = batch.request_counts.completed;
    status.failed = batch.request_counts.failed;
  }
  if (batch.status === 'failed') {
    const reasons = (batch.errors?.data ?? []).map((e) => `${e.line == null ? '' : `line ${e.line}: `}${e.message ?? e.code ?? 'invalid'}`);
    status.message = reasons.length > 0 ? reasons.slice(0, 5).join('; ') : 'the provider failed the batch';
  }
  return status;
}

function decodeLine(line: OpenAIBatchOutputLine, target: Target): DelegatedResult | undefined {
  const customId = line.custom_id;
  const response = line.response;
  if (response && response.status_code < 400) {
    const body = response.body;
    // An embeddings answer is a `list` of vectors, a chat answer has `choices`: the body says which endpoint ran.
    return isRecord(body) && body.object === 'list'
      ? embeddingLine(customId, () => parseOpenAIEmbeddingsResponse(body, target), target)
      : chatLine(customId, () => adapter.fromUpstream(body, target), target);
  }
  if (response) return failedLine(customId, adapter.toGatewayError(response.status_code, {}, response.body, target));
  // Never run: the runner reports the line as cancelled or expired with the batch.
  if (line.error?.code === OPENAI_BATCH_EXPIRED_CODE || line.error?.code === OPENAI_BATCH_CANCELLED_CODE) return undefined;
  const body = { error: { message: line.error?.message ?? 'request failed', code: line.error?.code ?? null, type: 'invalid_request_error' } };
  return failedLine(customId, adapter.toGatewayError(400, {}, body, target));
}

/** The results in an output or error file, one per line that parses. */
export function decodeOpenAIBatchFile(text: string, target: Target): DelegatedResult[] {
  const results: DelegatedResult[] = [];
  for (const raw of parseJsonLines(text)) {
    const line = openAIBatchOutputLineSchema.safeParse(raw);
    const result = line.success ? decodeLine(line.data, target) : undefined;
    if (result) results.push(result);
  }
  return results;
}
