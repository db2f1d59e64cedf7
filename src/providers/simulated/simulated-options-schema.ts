import { z } from 'zod';
import type { SimulatedOptions } from '../../core/index.js';

const simulatedFaultSchema = z.strictObject({
  kind: z.enum(['error', 'rate-limit', 'stall', 'error-after-start']),
  status: z.number().int().min(400).max(599).optional(),
  retry_after_s: z.number().min(0).optional(),
  after_tokens: z.number().int().min(0).optional(),
  rate: z.number().min(0).max(1).optional(),
});

const simulatedModelSchema = z.strictObject({
  behavior: z.enum(['echo', 'lorem', 'tools', 'json']).optional(),
  output: z.string().optional(),
  output_tokens: z.number().int().min(0).optional(),
  ttft_ms: z.number().min(0).optional(),
  tokens_per_second: z.number().min(0).optional(),
  tool_calls: z.array(z.strictObject({ name: z.string(), arguments: z.record(z.string(), z.unknown()) })).optional(),
  usage: z.strictObject({ input: z.number().int().min(0).optional(), output: z.number().int().min(0).optional() }).optional(),
  fault: simulatedFaultSchema.optional(),
});

/** The `simulated:` block of a `simulated` provider in the config file. */
const simulatedOptionsSchema: z.ZodType<SimulatedOptions> = z.strictObject({
  ttft_ms: z.number().min(0).optional(),
  tokens_per_second: z.number().min(0).optional(),
  seed: z.number().int().optional(),
  models: z.record(z.string(), simulatedModelSchema).optional(),
});

/** Config keys only a `simulated` provider takes. */
export const simulatedConfigKeys = { simulated: simulatedOptionsSchema.optional() };
