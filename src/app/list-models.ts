import type { GatewayConfig } from '../config/gateway-config.js';
import { catalogModelsFor } from '../catalog/index.js';
import { BUILT_IN_SIMULATED_MODELS } from '../providers/simulated/simulated-behaviors.js';

/**
 * Every name a client can send: configured aliases, their targets, and `provider/model` for each provider's
 * catalogued models (and the models its config describes).
 */
export function listModels(config: GatewayConfig): string[] {
  const names = new Set<string>(config.models.keys());
  for (const route of config.models.values()) {
    for (const target of route.targets) names.add(`${target.providerId}/${target.model}`);
  }
  for (const provider of config.providers.values()) {
    for (const model of catalogModelsFor(provider.type)) names.add(`${provider.id}/${model}`);
    for (const model of Object.keys(config.catalogOverrides[provider.id] ?? {})) names.add(`${provider.id}/${model}`);
    if (provider.type === 'simulated') {
      const configured = provider.options.models ?? {};
      for (const model of [...Object.keys(BUILT_IN_SIMULATED_MODELS), ...Object.keys(configured)]) names.add(`${provider.id}/${model}`);
    }
  }
  return [...names];
}
