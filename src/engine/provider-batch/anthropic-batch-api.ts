import type { Target } from '../../core/index.js';
import type { DelegatedLine, DelegatedResult, DelegatedStatus, ProviderBatchApi } from '../../ports/provider-batch-api.js';
import {
  anthropicBatchPaths,
  anthropicBatchStatus,
  anthropicResultsPath,
  buildAnthropicBatchBody,
  decodeAnthropicBatchResults,
  readAnthropicBatch,
} from '../../providers/anthropic/anthropic-batch.js';
import { buildAnthropicHeaders } from '../../providers/anthropic/anthropic-settings.js';
import { anthropicAdapter } from '../../providers/anthropic/index.js';
import { oncePerCustomId } from '../../providers/shared/delegated-results.js';
import type { BatchHttp, ReadUpstreamError } from './batch-http.js';

const readError: ReadUpstreamError = (status, headers, body, target) => anthropicAdapter.toGatewayError(status, headers, body, target);

/** Anthropic's Message Batches API: one create call with every request, the results as JSONL from `results_url`. */
export class AnthropicBatchApi implements ProviderBatchApi {
  constructor(
    private readonly http: BatchHttp,
    readonly priceFactor: number,
  ) {}

  async submit(lines: readonly DelegatedLine[], target: Target, signal?: AbortSignal): Promise<string> {
    const body = JSON.stringify(buildAnthropicBatchBody(lines, target));
    const created = await this.http.json({ method: 'POST', path: anthropicBatchPaths.batches, headers: buildAnthropicHeaders(target.provider), body }, target, signal, readError);
    return readAnthropicBatch(created, target.provider.id).id;
  }

  async poll(providerJobId: string, target: Target, signal?: AbortSignal): Promise<DelegatedStatus> {
    return anthropicBatchStatus(await this.retrieve(providerJobId, target, signal));
  }

  async *results(providerJobId: string, target: Target, signal?: AbortSignal): AsyncIterable<DelegatedResult> {
    const batch = await this.retrieve(providerJobId, target, signal);
    const path = anthropicResultsPath(batch, target.provider.baseUrl);
    const text = await this.http.text({ method: 'GET', path, headers: buildAnthropicHeaders(target.provider) }, target, signal, readError);
    yield* oncePerCustomId(decodeAnthropicBatchResults(text, target));
  }

  async cancel(providerJobId: string, target: Target, signal?: AbortSignal): Promise<void> {
    await this.http.json({ method: 'POST', path: anthropicBatchPaths.cancel(providerJobId), headers: buildAnthropicHeaders(target.provider) }, target, signal, readError);
  }

  private async retrieve(providerJobId: string, target: Target, signal?: AbortSignal) {
    const body = await this.http.json({ method: 'GET', path: anthropicBatchPaths.batch(providerJobId), headers: buildAnthropicHeaders(target.provider) }, target, signal, readError);
    return readAnthropicBatch(body, target.provider.id);
  }
}
