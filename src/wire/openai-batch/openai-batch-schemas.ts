import { z } from 'zod';

/**
 * OpenAI's Files and Batch API objects (the `file` and `batch` objects, the JSONL lines of a batch's input, output and
 * error files). Loose objects: new fields must not break decoding.
 */

/** Every status a batch moves through; `completed`, `failed`, `expired` and `cancelled` are final. */
const OPENAI_BATCH_STATUSES = ['validating', 'failed', 'in_progress', 'finalizing', 'completed', 'expired', 'cancelling', 'cancelled'] as const;

export const openAIFileObjectSchema = z.looseObject({
  id: z.string().min(1),
  object: z.literal('file').optional(),
  bytes: z.number().optional(),
  filename: z.string().optional(),
  purpose: z.string().optional(),
});

const batchErrorSchema = z.looseObject({
  code: z.string().nullish(),
  message: z.string().nullish(),
  param: z.string().nullish(),
  line: z.number().nullish(),
});

export const openAIBatchObjectSchema = z.looseObject({
  id: z.string().min(1),
  object: z.literal('batch').optional(),
  endpoint: z.string().optional(),
  status: z.enum(OPENAI_BATCH_STATUSES),
  input_file_id: z.string().optional(),
  output_file_id: z.string().nullish(),
  error_file_id: z.string().nullish(),
  errors: z.looseObject({ data: z.array(batchErrorSchema).nullish() }).nullish(),
  request_counts: z.looseObject({ total: z.number(), completed: z.number(), failed: z.number() }).nullish(),
});
export type OpenAIBatchObject = z.infer<typeof openAIBatchObjectSchema>;

/** One line of a batch's output or error file. */
export const openAIBatchOutputLineSchema = z.looseObject({
  id: z.string().optional(),
  custom_id: z.string(),
  response: z.looseObject({ status_code: z.number().int(), request_id: z.string().optional(), body: z.unknown() }).nullish(),
  error: z.looseObject({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});
export type OpenAIBatchOutputLine = z.infer<typeof openAIBatchOutputLineSchema>;

/** One line of a batch's input file. */
export interface OpenAIBatchInputLine {
  custom_id: string;
  method: 'POST';
  url: string;
  body: unknown;
}

/** The body of `POST /v1/batches`. */
export interface OpenAIBatchCreateBody {
  input_file_id: string;
  endpoint: string;
  completion_window: '24h';
  metadata?: Record<string, string>;
}

/** The error codes OpenAI writes for lines a batch never ran. */
export const OPENAI_BATCH_EXPIRED_CODE = 'batch_expired';
export const OPENAI_BATCH_CANCELLED_CODE = 'batch_cancelled';
