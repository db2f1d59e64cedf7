import type { GatewayConfig } from '../config/gateway-config.js';
import { allCatalogModels, catalogModelsFor } from '../catalog/index.js';
import { isModelGlob, matchModelGlob } from '../routing/model-glob.js';
import { BUILT_IN_SIMULATED_MODELS } from '../providers/simulated/simulated-behaviors.js';

/**
 * Every name a client can send: configured aliases, their targets, and `provider/model` for each provider's
 * catalogued models (and the models its config describes). A glob alias (`claude-*`) is listed as the catalogued
 * names it catches, the names an agent's model picker expects, never as the pattern itself.
 */
export function listModels(config: GatewayConfig): string[] {
  const aliases = [...config.models.keys()];
  const names = new Set<string>(aliases.filter((name) => !isModelGlob(name)));
  if (names.size < aliases.length) {
    for (const model of allCatalogModels()) {
      if (!config.models.has(model) && matchModelGlob(model, aliases) !== undefined) names.add(model);
    }
  }
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
