import { z } from 'zod';

/**
 * Gemini batch mode (`models/{model}:batchGenerateContent` with inlined requests): the long-running operation it
 * returns and `GET /v1beta/batches/{id}` re-reads, whose `metadata` is the `GenerateContentBatch`. Loose objects.
 */

/** int64 fields arrive as decimal strings in proto3 JSON. */
const int64 = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);

const statusSchema = z.looseObject({ code: z.number().optional(), message: z.string().optional(), status: z.string().optional() });

/** One inlined response: the GenerateContentResponse or the error status, with the request's metadata. */
export const geminiInlinedResponseSchema = z.looseObject({
  response: z.unknown().optional(),
  error: statusSchema.optional(),
  metadata: z.looseObject({ key: z.string().optional() }).nullish(),
});

export const geminiBatchOperationSchema = z.looseObject({
  name: z.string().min(1),
  done: z.boolean().optional(),
  error: statusSchema.optional(),
  metadata: z.looseObject({
    model: z.string().optional(),
    displayName: z.string().optional(),
    state: z.string().optional(),
    batchStats: z
      .looseObject({
        requestCount: int64.optional(),
        successfulRequestCount: int64.optional(),
        failedRequestCount: int64.optional(),
        pendingRequestCount: int64.optional(),
      })
      .optional(),
    output: z
      .looseObject({
        responsesFile: z.string().optional(),
        inlinedResponses: z.looseObject({ inlinedResponses: z.array(z.unknown()).optional() }).optional(),
      })
      .optional(),
  }),
});
export type GeminiBatchOperation = z.infer<typeof geminiBatchOperationSchema>;

/** The body of `POST /v1beta/models/{model}:batchGenerateContent` with inlined requests keyed by `metadata.key`. */
export interface GeminiBatchCreateBody {
  batch: {
    displayName: string;
    inputConfig: { requests: { requests: Array<{ request: unknown; metadata: { key: string } }> } };
  };
}
