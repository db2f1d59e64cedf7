import { batchPriceFactor } from '../../catalog/index.js';
import type { ProviderType, SecretScrubber } from '../../core/index.js';
import type { ProviderBatchApi, ProviderBatchApis } from '../../ports/provider-batch-api.js';
import type { UpstreamPools } from '../upstream-pools.js';
import { AnthropicBatchApi } from './anthropic-batch-api.js';
import { BatchHttp } from './batch-http.js';
import { GeminiBatchApi } from './gemini-batch-api.js';
import { OpenAIBatchApi } from './openai-batch-api.js';

function factorOf(type: ProviderType): number {
  const factor = batchPriceFactor(type);
  if (factor === undefined) throw new Error(`the catalogue has no batch price for ${type}`);
  return factor;
}

/**
 * OpenAI Batch (chat and embeddings), Anthropic Message Batches and Gemini batch mode (chat) over the engine's
 * upstream pools; error messages are scrubbed of the configured secrets.
 */
export function createProviderBatchApis(deps: { pools: UpstreamPools; secrets: SecretScrubber }): ProviderBatchApis {
  const http = new BatchHttp(deps.pools, deps.secrets);
  const chat = new Map<ProviderType, ProviderBatchApi>([
    ['openai', new OpenAIBatchApi(http, factorOf('openai'))],
    ['anthropic', new AnthropicBatchApi(http, factorOf('anthropic'))],
    ['gemini', new GeminiBatchApi(http, factorOf('gemini'))],
  ]);
  return {
    forTarget(target, kind) {
      const api = chat.get(target.provider.type);
      return kind === 'chat' || target.provider.type === 'openai' ? api : undefined;
    },
  };
}
