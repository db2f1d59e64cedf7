import type { Clock, ProviderType, SecretScrubber, Target } from '../core/index.js';
import type { UpstreamPools } from '../engine/upstream-pools.js';
import { HttpProviderClient } from '../engine/http-provider-client.js';
import { ScrubbingProviderClient } from '../engine/scrubbing-provider-client.js';
import type { ProviderClient } from '../ports/provider-client.js';
import { adapterFor } from '../providers/adapter-for.js';
import { SimulatedClient } from '../providers/simulated/simulated-client.js';

/** Provider clients by type, built once: the engine's `clientFor`. */
export class ProviderRegistry {
  private readonly clients = new Map<ProviderType, ProviderClient>();

  /** `secrets` are scrubbed from every upstream error message. */
  constructor(pools: UpstreamPools, clock: Clock, secrets: SecretScrubber) {
    this.clients.set('simulated', new SimulatedClient(clock));
    const types: Array<Exclude<ProviderType, 'simulated'>> = ['openai', 'anthropic', 'gemini', 'deepseek', 'qwen', 'mistral', 'groq', 'openai-compatible'];
    for (const type of types) this.clients.set(type, new ScrubbingProviderClient(new HttpProviderClient(adapterFor(type), pools, clock), secrets));
  }

  /** The client that serves a target. */
  clientFor(target: Target): ProviderClient {
    const client = this.clients.get(target.provider.type);
    if (!client) throw new Error(`no client for provider type ${target.provider.type}`);
    return client;
  }
}
