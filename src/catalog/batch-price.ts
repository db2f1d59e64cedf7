import { z } from 'zod';
import type { ProviderType } from '../core/index.js';
import data from './batch-discounts.json' with { type: 'json' };

// The share of the list price each provider's batch API bills (OpenAI Batch, Anthropic Message Batches and Gemini
// batch mode all bill 50%, cache buckets included). Validated once so a bad edit fails every test.
const factors: Readonly<Partial<Record<ProviderType, number>>> = z
  .strictObject({ openai: z.number().gt(0).max(1), anthropic: z.number().gt(0).max(1), gemini: z.number().gt(0).max(1) })
  .parse(data);

/** The share of the live price a provider type's batch API bills; undefined when the type has no batch API. */
export function batchPriceFactor(type: ProviderType): number | undefined {
  return factors[type];
}
