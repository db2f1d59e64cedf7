import { z } from 'zod';

/** Config keys only an `anthropic` provider takes. */
export const anthropicConfigKeys = {
  /** Anthropic API version spoken upstream. */
  api_version: z.enum(['2023-06-01', '2026-10-21']).optional(),
};
