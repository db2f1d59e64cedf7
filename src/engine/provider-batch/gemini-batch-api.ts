import type { Target } from '../../core/index.js';
import type { DelegatedLine, DelegatedResult, DelegatedStatus, ProviderBatchApi } from '../../ports/provider-batch-api.js';
import { buildGeminiBatchBody, decodeGeminiInlinedResponses, geminiBatchPaths, geminiBatchStatus, readGeminiBatch } from '../../providers/gemini/gemini-batch.js';
import { geminiHeaders } from '../../providers/gemini/gemini-transport.js';
import { geminiAdapter } from '../../providers/gemini/index.js';
import { oncePerCustomId } from '../../providers/shared/delegated-results.js';
import type { BatchHttp, ReadUpstreamError } from './batch-http.js';

const readError: ReadUpstreamError = (status, headers, body, target) => geminiAdapter.toGatewayError(status, headers, body, target);

/** Gemini batch mode with inlined requests: the batch operation carries the inlined responses once it is done. */
export class GeminiBatchApi implements ProviderBatchApi {
  constructor(
    private readonly http: BatchHttp,
    readonly priceFactor: number,
  ) {}

  async submit(lines: readonly DelegatedLine[], target: Target, signal?: AbortSignal): Promise<string> {
    const body = JSON.stringify(buildGeminiBatchBody(lines, target));
    const created = await this.http.json({ method: 'POST', path: geminiBatchPaths.create(target.model), headers: geminiHeaders(target), body }, target, signal, readError);
    return readGeminiBatch(created, target.provider.id).name;
  }

  async poll(providerJobId: string, target: Target, signal?: AbortSignal): Promise<DelegatedStatus> {
    return geminiBatchStatus(await this.retrieve(providerJobId, target, signal));
  }

  async *results(providerJobId: string, target: Target, signal?: AbortSignal): AsyncIterable<DelegatedResult> {
    yield* oncePerCustomId(decodeGeminiInlinedResponses(await this.retrieve(providerJobId, target, signal), target));
  }

  async cancel(providerJobId: string, target: Target, signal?: AbortSignal): Promise<void> {
    await this.http.text({ method: 'POST', path: geminiBatchPaths.cancel(providerJobId), headers: geminiHeaders(target) }, target, signal, readError);
  }

  private async retrieve(providerJobId: string, target: Target, signal?: AbortSignal) {
    const body = await this.http.json({ method: 'GET', path: geminiBatchPaths.batch(providerJobId), headers: geminiHeaders(target) }, target, signal, readError);
    return readGeminiBatch(body, target.provider.id);
  }
}
