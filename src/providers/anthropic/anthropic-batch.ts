import { GatewayError, type Target } from '../../core/index.js';
import type { DelegatedLine, DelegatedResult, DelegatedStatus } from '../../ports/provider-batch-api.js';
import {
  anthropicBatchResultLineSchema,
  anthropicMessageBatchSchema,
  type AnthropicBatchCreateBody,
  type AnthropicMessageBatch,
} from '../../wire/anthropic-messages/anthropic-batch-schemas.js';
import { describeFirstIssue } from '../../wire/openai-chat/openai-chat-response-schemas.js';
import { parseJsonLines, translateLines } from '../shared/batch-lines.js';
import { chatLine, failedLine } from '../shared/delegated-results.js';
import { anthropicAdapter } from './anthropic-adapter.js';
import { fromAnthropicCustomId, toAnthropicCustomId } from './anthropic-batch-custom-id.js';
import { anthropicStreamError } from './map-anthropic-error.js';

/** Paths under an Anthropic base URL, as the official SDK builds them. */
export const anthropicBatchPaths = {
  batches: '/v1/messages/batches',
  batch: (id: string) => `/v1/messages/batches/${encodeURIComponent(id)}`,
  cancel: (id: string) => `/v1/messages/batches/${encodeURIComponent(id)}/cancel`,
  results: (id: string) => `/v1/messages/batches/${encodeURIComponent(id)}/results`,
};

/** The create body: each line's Messages parameters under its custom_id (encoded when Anthropic would refuse it). */
export function buildAnthropicBatchBody(lines: readonly DelegatedLine[], target: Target): AnthropicBatchCreateBody {
  if (lines.some((line) => line.kind !== 'chat')) throw new GatewayError('invalid_request', 'Anthropic Message Batches run Messages requests only', { param: 'url' });
  const requests = translateLines(lines, target, anthropicAdapter).map(({ customId, body }) => {
    const sent = toAnthropicCustomId(customId);
    if (sent === undefined) throw new GatewayError('invalid_request', 'custom_id is too long for an Anthropic Message Batch (at most 64 characters once encoded)', { param: 'custom_id' });
    return { custom_id: sent, params: body };
  });
  return { requests };
}

/** A `message_batch` object (the answer to create, retrieve and cancel). */
export function readAnthropicBatch(body: unknown, providerId: string): AnthropicMessageBatch {
  const parsed = anthropicMessageBatchSchema.safeParse(body);
  if (!parsed.success) {
    throw new GatewayError('upstream_malformed_response', `${providerId} returned a message batch that does not match Anthropic's format: ${describeFirstIssue(parsed.error)}`, {
      provider: providerId,
    });
  }
  return parsed.data;
}

/**
 * Where the batch stands. Anthropic's batches only ever end (`ended`); one whose cancellation was asked for ended
 * `cancelled`, one where every request expired ended `expired`.
 */
export function anthropicBatchStatus(batch: AnthropicMessageBatch): DelegatedStatus {
  const { processing, succeeded, errored, canceled, expired } = batch.request_counts;
  const total = processing + succeeded + errored + canceled + expired;
  let state: DelegatedStatus['state'] = 'in_progress';
  if (batch.processing_status === 'ended') state = batch.cancel_initiated_at ? 'cancelled' : total > 0 && expired === total ? 'expired' : 'completed';
  return { state, total, completed: succeeded, failed: errored + canceled + expired };
}

/**
 * Where to read the results: `results_url` when it is under the provider's configured base (the key is sent there),
 * else the documented path under that base.
 */
export function anthropicResultsPath(batch: AnthropicMessageBatch, baseUrl: string): string {
  const base = new URL(baseUrl);
  if (batch.results_url) {
    const url = new URL(batch.results_url, base);
    const basePath = base.pathname.replace(/\/+$/, '');
    if (url.origin === base.origin && url.pathname.startsWith(`${basePath}/`)) return url.pathname.slice(basePath.length) + url.search;
  }
  return anthropicBatchPaths.results(batch.id);
}

/** The results file's lines, with each custom_id decoded back to the job's; cancelled and expired lines are absent. */
export function decodeAnthropicBatchResults(text: string, target: Target): DelegatedResult[] {
  const results: DelegatedResult[] = [];
  for (const raw of parseJsonLines(text)) {
    const line = anthropicBatchResultLineSchema.safeParse(raw);
    if (!line.success) continue;
    const customId = fromAnthropicCustomId(line.data.custom_id);
    const result = line.data.result;
    if (result.type === 'succeeded') results.push(chatLine(customId, () => anthropicAdapter.fromUpstream(result.message, target), target));
    else if (result.type === 'errored') results.push(failedLine(customId, anthropicStreamError(result.error.error, target.provider.id)));
  }
  return results;
}
