import type { ProviderType } from '../core/index.js';
import type { ProviderAdapter } from './provider-adapter.js';
import { anthropicAdapter } from './anthropic/index.js';
import { geminiAdapter } from './gemini/index.js';
import { createOpenAICompatibleAdapter } from './openai-compatible/index.js';

/** Chooses the adapter for a provider type; built once per process. */
export function adapterFor(type: Exclude<ProviderType, 'simulated'>): ProviderAdapter {
  switch (type) {
    case 'anthropic':
      return anthropicAdapter;
    case 'gemini':
      return geminiAdapter;
    default:
      return createOpenAICompatibleAdapter(type);
  }
}
