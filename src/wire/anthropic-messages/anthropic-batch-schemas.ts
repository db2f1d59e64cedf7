import { z } from 'zod';
import { anthropicErrorDetailSchema } from './anthropic-response-schemas.js';

/** Anthropic's Message Batches API: the `message_batch` object and the lines of its results JSONL. Loose objects. */

/** What a Message Batch `custom_id` may be: 1 to 64 of letters, digits, `_` and `-`. */
export const ANTHROPIC_CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

export const anthropicMessageBatchSchema = z.looseObject({
  id: z.string().min(1),
  type: z.literal('message_batch').optional(),
  processing_status: z.enum(['in_progress', 'canceling', 'ended']),
  request_counts: z.looseObject({
    processing: z.number(),
    succeeded: z.number(),
    errored: z.number(),
    canceled: z.number(),
    expired: z.number(),
  }),
  results_url: z.string().nullish(),
  created_at: z.string().optional(),
  ended_at: z.string().nullish(),
  expires_at: z.string().optional(),
  cancel_initiated_at: z.string().nullish(),
  archived_at: z.string().nullish(),
});
export type AnthropicMessageBatch = z.infer<typeof anthropicMessageBatchSchema>;

/** One line of a batch's results file: what became of one request. */
export const anthropicBatchResultLineSchema = z.looseObject({
  custom_id: z.string(),
  result: z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('succeeded'), message: z.unknown() }),
    z.looseObject({ type: z.literal('errored'), error: z.looseObject({ type: z.string().optional(), error: anthropicErrorDetailSchema }) }),
    z.looseObject({ type: z.literal('canceled') }),
    z.looseObject({ type: z.literal('expired') }),
  ]),
});

/** The body of `POST /v1/messages/batches`: each request's Messages API parameters under its custom_id. */
export interface AnthropicBatchCreateBody {
  requests: Array<{ custom_id: string; params: unknown }>;
}
