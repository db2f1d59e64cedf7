import { z } from 'zod';
import data from './models.json' with { type: 'json' };
import type { CatalogFormat, ModelInfo } from './model-info.js';

const modelInfoSchema = z.strictObject({
  contextWindow: z.number().int().positive(),
  maxOutputTokens: z.number().int().positive(),
  capabilities: z.strictObject({
    tools: z.boolean(),
    vision: z.boolean(),
    jsonSchema: z.boolean(),
    reasoning: z.boolean(),
    nativeStructuredOutput: z.boolean().optional(),
  }),
  price: z
    .strictObject({
      input: z.number().min(0),
      output: z.number().min(0),
      cacheRead: z.number().min(0).optional(),
      cacheWrite: z.number().min(0).optional(),
    })
    .optional(),
});

const catalogSchema = z.strictObject({
  'openai-chat': z.record(z.string(), modelInfoSchema),
  'anthropic-messages': z.record(z.string(), modelInfoSchema),
  gemini: z.record(z.string(), modelInfoSchema),
});

// Validated once at load so a bad edit to the data file fails every test, not one lookup in production.
const catalog: Readonly<Record<CatalogFormat, Readonly<Record<string, ModelInfo>>>> = catalogSchema.parse(data);

// Characters that end a model family name in dated or tagged ids: `claude-sonnet-4-5-20250929`,
// `claude-sonnet-4-5@20250929` (Vertex), `gpt-4o-2024-08-06`, `gemini-2.5-flash-preview-09-2025`.
const SUFFIX_SEPARATORS = ['-', '@', ':'];

// Resolved names per format. Client-chosen names (`provider/anything`) could grow them without end, so each is bounded.
const resolved: Record<CatalogFormat, Map<string, ModelInfo | undefined>> = {
  'openai-chat': new Map(),
  'anthropic-messages': new Map(),
  gemini: new Map(),
};
const RESOLVED_LIMIT = 10_000;

/**
 * Finds a model's limits and capabilities: an exact name first, then the longest catalogued name that prefixes it at
 * a separator (so `gpt-4o-mini-2024-07-18` is `gpt-4o-mini`, not `gpt-4o`). Gemini's `models/` prefix is ignored.
 * Answers are remembered: routing and pricing ask for the same model several times per request.
 */
export function lookupModel(format: CatalogFormat, model: string): ModelInfo | undefined {
  const known = resolved[format];
  if (known.has(model)) return known.get(model);
  const info = findModel(format, model);
  if (known.size >= RESOLVED_LIMIT) known.clear();
  known.set(model, info);
  return info;
}

function findModel(format: CatalogFormat, model: string): ModelInfo | undefined {
  const models = catalog[format];
  const name = model.startsWith('models/') ? model.slice('models/'.length) : model;
  // Own keys only: model names come from clients, and `constructor` must not find Object.prototype members.
  if (Object.hasOwn(models, name)) return models[name];
  let best: string | undefined;
  for (const known of Object.keys(models)) {
    const separator = name.charAt(known.length);
    if (name.startsWith(known) && SUFFIX_SEPARATORS.includes(separator) && known.length > (best?.length ?? 0)) {
      best = known;
    }
  }
  return best === undefined ? undefined : models[best];
}
