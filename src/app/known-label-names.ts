import type { GatewayConfig } from '../config/gateway-config.js';
import type { KnownLabelNames } from '../observability/gateway-metrics.js';
import { listModels } from './list-models.js';

// Built once per config: metrics ask on every finished request, and a reload brings a new config object.
const byConfig = new WeakMap<GatewayConfig, KnownLabelNames>();

/** The model and provider names a config allows as metric labels: its aliases, providers and listed models. */
export function knownLabelNames(config: GatewayConfig): KnownLabelNames {
  let names = byConfig.get(config);
  if (!names) {
    names = { models: new Set(listModels(config)), providers: new Set(config.providers.keys()) };
    byConfig.set(config, names);
  }
  return names;
}
