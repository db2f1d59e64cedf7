import type { ProviderType } from '../core/index.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import { hashConfig } from '../config/hash-config.js';
import { createModelLookup, type ModelInfoOverride, type ModelLookup, type ModelOverrides } from '../catalog/index.js';

/**
 * Everything derived from one config, built once and never changed: a reload builds a new snapshot and swaps it in
 * whole, so a request that took this one sees one config, one catalogue and one set of provider names to its end.
 */
export interface GatewaySnapshot {
  readonly config: GatewayConfig;
  /** The config's fingerprint (`hashConfig`), reported by GET /admin/config and `switchyard_config_info`. */
  readonly hash: string;
  /** Catalogue lookup with the config's overrides, for context, capability checks and prices. */
  readonly lookupModel: ModelLookup;
  /** The GenAI semantic-convention provider name (`openai`, `gcp.gemini`) of a configured provider id. */
  providerName(providerId: string): string | undefined;
}

/** GenAI semantic-convention provider names by provider type. */
function genAiProviderName(type: ProviderType | undefined): string | undefined {
  switch (type) {
    case 'gemini':
      return 'gcp.gemini';
    case 'qwen':
      return 'alibaba.dashscope';
    case 'mistral':
      return 'mistral_ai';
    case 'groq':
      return 'groq';
    case 'openai-compatible':
    case 'simulated':
    case undefined:
      return undefined;
    default:
      return type;
  }
}

/** Converts the config's snake_case catalogue overrides into the catalogue's shape. */
function catalogOverridesOf(config: GatewayConfig): ModelOverrides {
  const out: ModelOverrides = {};
  for (const [providerId, models] of Object.entries(config.catalogOverrides)) {
    out[providerId] = {};
    for (const [model, o] of Object.entries(models)) {
      const override: ModelInfoOverride = {};
      if (o.context_window !== undefined) override.contextWindow = o.context_window;
      if (o.max_output_tokens !== undefined) override.maxOutputTokens = o.max_output_tokens;
      if (o.capabilities) {
        const c = o.capabilities;
        override.capabilities = {
          ...(c.tools === undefined ? {} : { tools: c.tools }),
          ...(c.vision === undefined ? {} : { vision: c.vision }),
          ...(c.json_schema === undefined ? {} : { jsonSchema: c.json_schema }),
          ...(c.reasoning === undefined ? {} : { reasoning: c.reasoning }),
        };
      }
      if (o.price) {
        const p = o.price;
        override.price = {
          ...(p.input === undefined ? {} : { input: p.input }),
          ...(p.output === undefined ? {} : { output: p.output }),
          ...(p.cache_read === undefined ? {} : { cacheRead: p.cache_read }),
          ...(p.cache_write === undefined ? {} : { cacheWrite: p.cache_write }),
        };
      }
      out[providerId][model] = override;
    }
  }
  return out;
}

/** Builds the immutable snapshot of a config. */
function createGatewaySnapshot(config: GatewayConfig): GatewaySnapshot {
  const lookupModel = createModelLookup(catalogOverridesOf(config));
  return Object.freeze({
    config,
    hash: hashConfig(config),
    lookupModel,
    providerName: (providerId: string) => genAiProviderName(config.providers.get(providerId)?.type),
  });
}

/** Holds the current snapshot; a reload replaces it in one assignment, so no reader ever sees half of two configs. */
export class SnapshotCell {
  current: GatewaySnapshot;

  constructor(config: GatewayConfig) {
    this.current = createGatewaySnapshot(config);
  }

  /** Makes `config` the snapshot for every request that starts from now on. */
  swap(config: GatewayConfig): void {
    this.current = createGatewaySnapshot(config);
  }
}
