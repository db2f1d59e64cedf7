import { z } from 'zod';
import type { KeySpec } from '../ports/virtual-key.js';

const tagName = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'tag names use letters, digits, _ . : - (up to 64)');
const usd = z.number().positive();

/** A key's settings as the admin API takes them (snake_case JSON); the CLI builds the same object from its flags. */
export const keySpecSchema = z.strictObject({
  name: z.string().min(1).max(200),
  owner: z.string().min(1).max(200).optional(),
  team: z.string().min(1).max(200).optional(),
  models: z.array(z.string().min(1).max(200)).max(100).optional(),
  rpm: z.number().int().positive().optional(),
  tpm: z.number().int().positive().optional(),
  budget: z.strictObject({ daily_usd: usd.optional(), monthly_usd: usd.optional(), total_usd: usd.optional() }).optional(),
  /** ISO 8601 time or epoch milliseconds. */
  expires_at: z
    .union([z.number().int().positive(), z.string().transform((value, context) => {
      const parsed = Date.parse(value);
      if (Number.isFinite(parsed)) return parsed;
      context.addIssue({ code: 'custom', message: 'expected an ISO 8601 time or epoch milliseconds' });
      return z.NEVER;
    })])
    .optional(),
  tags: z.record(tagName, z.string().max(200)).refine((tags) => Object.keys(tags).length <= 50, 'at most 50 tags').optional(),
});

/** The same settings for an update: every field optional. */
export const keyChangesSchema = keySpecSchema.partial();

type KeySpecInput = z.infer<typeof keyChangesSchema>;

/** Converts validated snake_case settings into a KeySpec (absent fields stay absent). */
export function toKeySpec(input: KeySpecInput): Partial<KeySpec> {
  const spec: Partial<KeySpec> = {};
  if (input.name !== undefined) spec.name = input.name;
  if (input.owner !== undefined) spec.owner = input.owner;
  if (input.team !== undefined) spec.team = input.team;
  if (input.models !== undefined) spec.models = input.models;
  if (input.rpm !== undefined || input.tpm !== undefined) {
    spec.limits = { ...(input.rpm === undefined ? {} : { rpm: input.rpm }), ...(input.tpm === undefined ? {} : { tpm: input.tpm }) };
  }
  if (input.budget !== undefined) {
    const { daily_usd, monthly_usd, total_usd } = input.budget;
    spec.budget = {
      ...(daily_usd === undefined ? {} : { dailyUsd: daily_usd }),
      ...(monthly_usd === undefined ? {} : { monthlyUsd: monthly_usd }),
      ...(total_usd === undefined ? {} : { totalUsd: total_usd }),
    };
  }
  if (input.expires_at !== undefined) spec.expiresAt = input.expires_at;
  if (input.tags !== undefined) spec.tags = input.tags;
  return spec;
}
