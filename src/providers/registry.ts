import type { UpstreamPools } from '../engine/upstream-pools.js';
import { HttpProviderClient } from '../engine/http-provider-client.js';
import type { ProviderClient } from '../engine/provider-client.js';
import type { ProviderAdapter, ProviderType, Target } from './provider-adapter.js';
import { anthropicAdapter } from './anthropic/index.js';
import { geminiAdapter } from './gemini/index.js';
import { createOpenAICompatibleAdapter } from './openai-compatible/index.js';
import { SimulatedClient } from './simulated/simulated-client.js';

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

/** Provider clients by type, built once: the engine's `clientFor`. */
export class ProviderRegistry {
  private readonly clients = new Map<ProviderType, ProviderClient>();

  constructor(pools: UpstreamPools) {
    this.clients.set('simulated', new SimulatedClient());
    const types: Array<Exclude<ProviderType, 'simulated'>> = ['openai', 'anthropic', 'gemini', 'deepseek', 'qwen', 'mistral', 'groq', 'openai-compatible'];
    for (const type of types) this.clients.set(type, new HttpProviderClient(adapterFor(type), pools));
  }

  /** The client that serves a target. */
  clientFor(target: Target): ProviderClient {
    const client = this.clients.get(target.provider.type);
    if (!client) throw new Error(`no client for provider type ${target.provider.type}`);
    return client;
  }
}
