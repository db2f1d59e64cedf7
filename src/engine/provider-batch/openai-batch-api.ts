import { Blob } from 'node:buffer';
import { FormData } from 'undici';
import type { Target } from '../../core/index.js';
import type { DelegatedLine, DelegatedResult, DelegatedStatus, ProviderBatchApi } from '../../ports/provider-batch-api.js';
import { createOpenAICompatibleAdapter } from '../../providers/openai-compatible/index.js';
import {
  buildOpenAIBatchInput,
  decodeOpenAIBatchFile,
  openAIBatchPaths,
  openAIBatchStatus,
  readOpenAIBatch,
  readOpenAIFileId,
} from '../../providers/openai-compatible/openai-batch.js';
import { buildOpenAIHeaders } from '../../providers/openai-compatible/openai-upstream-headers.js';
import { oncePerCustomId } from '../../providers/shared/delegated-results.js';
import type { BatchHttp, ReadUpstreamError } from './batch-http.js';

const adapter = createOpenAICompatibleAdapter('openai');
const readError: ReadUpstreamError = (status, headers, body, target) => adapter.toGatewayError(status, headers, body, target);

/** Auth and the provider's extra headers, without the JSON content type (a multipart upload sets its own). */
function authOnly(target: Target): Record<string, string> {
  const headers = buildOpenAIHeaders(target.provider);
  delete headers['content-type'];
  return headers;
}

/** OpenAI's Batch API: the lines go up as a JSONL file (`purpose: batch`), the results come down as two files. */
export class OpenAIBatchApi implements ProviderBatchApi {
  constructor(
    private readonly http: BatchHttp,
    readonly priceFactor: number,
  ) {}

  async submit(lines: readonly DelegatedLine[], target: Target, signal?: AbortSignal): Promise<string> {
    const { jsonl, create } = buildOpenAIBatchInput(lines, target);
    const form = new FormData();
    form.append('purpose', 'batch');
    form.append('file', new Blob([jsonl], { type: 'application/jsonl' }), 'switchyard-batch.jsonl');
    const uploaded = await this.http.json({ method: 'POST', path: openAIBatchPaths.files, headers: authOnly(target), body: form }, target, signal, readError);
    const body = JSON.stringify(create(readOpenAIFileId(uploaded, target.provider.id)));
    const created = await this.http.json({ method: 'POST', path: openAIBatchPaths.batches, headers: buildOpenAIHeaders(target.provider), body }, target, signal, readError);
    return readOpenAIBatch(created, target.provider.id).id;
  }

  async poll(providerJobId: string, target: Target, signal?: AbortSignal): Promise<DelegatedStatus> {
    return openAIBatchStatus(await this.retrieve(providerJobId, target, signal));
  }

  async *results(providerJobId: string, target: Target, signal?: AbortSignal): AsyncIterable<DelegatedResult> {
    const batch = await this.retrieve(providerJobId, target, signal);
    const answers: DelegatedResult[] = [];
    for (const fileId of [batch.output_file_id, batch.error_file_id]) {
      if (!fileId) continue;
      const text = await this.http.text({ method: 'GET', path: openAIBatchPaths.content(fileId), headers: authOnly(target) }, target, signal, readError);
      answers.push(...decodeOpenAIBatchFile(text, target));
    }
    yield* oncePerCustomId(answers);
    if (batch.input_file_id) {
      // The prompts need not stay on the provider once the results are read; failing to delete loses no result.
      await this.http.text({ method: 'DELETE', path: openAIBatchPaths.file(batch.input_file_id), headers: authOnly(target) }, target, signal, readError).catch(() => undefined);
    }
  }

  async cancel(providerJobId: string, target: Target, signal?: AbortSignal): Promise<void> {
    await this.http.json({ method: 'POST', path: openAIBatchPaths.cancel(providerJobId), headers: buildOpenAIHeaders(target.provider) }, target, signal, readError);
  }

  private async retrieve(providerJobId: string, target: Target, signal?: AbortSignal) {
    const body = await this.http.json({ method: 'GET', path: openAIBatchPaths.batch(providerJobId), headers: authOnly(target) }, target, signal, readError);
    return readOpenAIBatch(body, target.provider.id);
  }
}
