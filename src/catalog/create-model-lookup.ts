import type { ProviderType, Target } from '../core/index.js';
import { lookupModel } from './lookup-model.js';
import type { CatalogFormat, ModelInfo, ModelPrice } from './model-info.js';
import { DEFAULT_MAX_OUTPUT_TOKENS } from './model-info.js';

/** A config override for one model: some or all of its limits, capabilities and prices. */
export interface ModelInfoOverride {
  contextWindow?: number;
  maxOutputTokens?: number;
  capabilities?: Partial<ModelInfo['capabilities']>;
  /** A complete price replaces the catalogue's; a partial one is merged over it. */
  price?: Partial<ModelPrice>;
}

/** Overrides keyed by provider id, then by the upstream model name exactly as the config's targets spell it. */
export type ModelOverrides = Record<string, Record<string, ModelInfoOverride>>;

/** Finds what the gateway knows about a target's model, config overrides included. */
export type ModelLookup = (target: Target) => ModelInfo | undefined;

/** The catalogue a provider type's models are listed under; the simulated provider has none. */
export function catalogFormatFor(type: ProviderType): CatalogFormat | undefined {
  switch (type) {
    case 'anthropic':
      return 'anthropic-messages';
    case 'gemini':
      return 'gemini';
    case 'simulated':
      return undefined;
    default:
      return 'openai-chat';
  }
}

// A model the catalogue lacks but the config describes: whatever the config leaves out must not cause a skip, so the
// window is unbounded and every capability is assumed.
const PERMISSIVE_BASE: ModelInfo = {
  contextWindow: Number.MAX_SAFE_INTEGER,
  maxOutputTokens: DEFAULT_MAX_OUTPUT_TOKENS,
  capabilities: { tools: true, vision: true, jsonSchema: true, reasoning: true },
};

function mergeModelInfo(base: ModelInfo, override: ModelInfoOverride): ModelInfo {
  const merged: ModelInfo = {
    contextWindow: override.contextWindow ?? base.contextWindow,
    maxOutputTokens: override.maxOutputTokens ?? base.maxOutputTokens,
    capabilities: { ...base.capabilities },
  };
  for (const [key, value] of Object.entries(override.capabilities ?? {})) {
    if (value !== undefined) merged.capabilities[key as keyof ModelInfo['capabilities']] = value;
  }
  const input = override.price?.input ?? base.price?.input;
  const output = override.price?.output ?? base.price?.output;
  if (input !== undefined && output !== undefined) {
    const price: ModelPrice = { input, output };
    const cacheRead = override.price?.cacheRead ?? base.price?.cacheRead;
    const cacheWrite = override.price?.cacheWrite ?? base.price?.cacheWrite;
    if (cacheRead !== undefined) price.cacheRead = cacheRead;
    if (cacheWrite !== undefined) price.cacheWrite = cacheWrite;
    merged.price = price;
  }
  return merged;
}

// Own keys only: model names come from clients (`provider/constructor` must not find Object.prototype members).
function findOverride(overrides: ModelOverrides, providerId: string, model: string): ModelInfoOverride | undefined {
  const byModel = Object.hasOwn(overrides, providerId) ? overrides[providerId] : undefined;
  return byModel && Object.hasOwn(byModel, model) ? byModel[model] : undefined;
}

/**
 * Builds the lookup routing uses: the built-in catalogue entry for the provider's wire format, with that provider's
 * config override for the model merged over it. Each override is merged once (a provider id's type is fixed).
 */
export function createModelLookup(overrides: ModelOverrides): ModelLookup {
  const merged = new Map<ModelInfoOverride, ModelInfo>();
  return (target) => {
    const format = catalogFormatFor(target.provider.type);
    const base = format === undefined ? undefined : lookupModel(format, target.model);
    const override = findOverride(overrides, target.provider.id, target.model);
    if (!override) return base;
    let info = merged.get(override);
    if (!info) {
      info = mergeModelInfo(base ?? PERMISSIVE_BASE, override);
      merged.set(override, info);
    }
    return info;
  };
}
