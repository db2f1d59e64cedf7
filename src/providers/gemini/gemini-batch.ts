import { GatewayError, type Target } from '../../core/index.js';
import type { DelegatedLine, DelegatedResult, DelegatedStatus } from '../../ports/provider-batch-api.js';
import { geminiBatchOperationSchema, geminiInlinedResponseSchema, type GeminiBatchCreateBody, type GeminiBatchOperation } from '../../wire/gemini/gemini-batch-schemas.js';
import { formatIssuePath } from '../../wire/gemini/gemini-response-schema.js';
import { translateLines } from '../shared/batch-lines.js';
import { chatLine, failedLine } from '../shared/delegated-results.js';
import { geminiAdapter } from './gemini-adapter.js';
import { geminiModelPath } from './gemini-transport.js';
import { mapGeminiError } from './map-gemini-error.js';

const BATCH_NAME = /^batches\/[A-Za-z0-9_-]+$/;

function batchPath(name: string, suffix = ''): string {
  // The name comes back from the upstream; only its documented form goes into a URL unescaped.
  const safe = BATCH_NAME.test(name) ? name : `batches/${encodeURIComponent(name.replace(/^batches\//, ''))}`;
  return `/v1beta/${safe}${suffix}`;
}

/** Paths under the Gemini base URL, as the official SDK builds them. */
export const geminiBatchPaths = {
  create: (model: string) => geminiModelPath(model, 'batchGenerateContent'),
  batch: (name: string) => batchPath(name),
  cancel: (name: string) => batchPath(name, ':cancel'),
};

/** The create body: inlined GenerateContent requests, each keyed by its custom_id in `metadata.key`. */
export function buildGeminiBatchBody(lines: readonly DelegatedLine[], target: Target): GeminiBatchCreateBody {
  if (lines.some((line) => line.kind !== 'chat')) throw new GatewayError('invalid_request', 'Gemini batch mode runs generateContent requests only here', { param: 'url' });
  const requests = translateLines(lines, target, geminiAdapter).map(({ customId, body }) => ({ request: body, metadata: { key: customId } }));
  return { batch: { displayName: `switchyard-${requests.length}-requests`, inputConfig: { requests: { requests } } } };
}

/** The batch operation (the answer to create and to `GET batches/{id}`). */
export function readGeminiBatch(body: unknown, providerId: string): GeminiBatchOperation {
  const parsed = geminiBatchOperationSchema.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined ? '' : `${formatIssuePath(issue.path)}: ${issue.message}`;
    throw new GatewayError('upstream_malformed_response', `${providerId} returned a batch operation that does not match Gemini's format: ${where}`, { provider: providerId });
  }
  return parsed.data;
}

const FINAL: Readonly<Record<string, DelegatedStatus['state']>> = {
  BATCH_STATE_SUCCEEDED: 'completed',
  BATCH_STATE_FAILED: 'failed',
  BATCH_STATE_CANCELLED: 'cancelled',
  BATCH_STATE_EXPIRED: 'expired',
};

/** Where the batch stands: its state (pending and running are in progress) and batch stats. */
export function geminiBatchStatus(operation: GeminiBatchOperation): DelegatedStatus {
  const state = operation.metadata.state ?? 'BATCH_STATE_PENDING';
  const stats = operation.metadata.batchStats;
  const status: DelegatedStatus = { state: Object.hasOwn(FINAL, state) ? (FINAL[state] ?? 'in_progress') : 'in_progress' };
  if (stats?.requestCount !== undefined) status.total = stats.requestCount;
  if (stats?.successfulRequestCount !== undefined) status.completed = stats.successfulRequestCount;
  if (stats?.failedRequestCount !== undefined) status.failed = stats.failedRequestCount;
  if (status.state === 'failed') status.message = operation.error?.message ?? 'the provider failed the batch';
  return status;
}

/** The inlined responses of a finished batch, keyed back to custom_ids by `metadata.key`. */
export function decodeGeminiInlinedResponses(operation: GeminiBatchOperation, target: Target): DelegatedResult[] {
  const results: DelegatedResult[] = [];
  for (const raw of operation.metadata.output?.inlinedResponses?.inlinedResponses ?? []) {
    const item = geminiInlinedResponseSchema.safeParse(raw);
    const key = item.success ? item.data.metadata?.key : undefined;
    if (!item.success || key === undefined) continue;
    const { error, response } = item.data;
    if (error) {
      // `code` here is the gRPC code, not an HTTP status: the canonical name decides.
      results.push(failedLine(key, mapGeminiError(undefined, {}, { error: { message: error.message, status: error.status ?? 'UNKNOWN' } }, target.provider.id)));
    } else {
      results.push(chatLine(key, () => geminiAdapter.fromUpstream(response, target), target));
    }
  }
  return results;
}
