import { z } from 'zod';

/**
 * Zod schemas for what Gemini sends back (generateContent, each `alt=sse` event, error bodies, batchEmbedContents).
 * Loose objects: unknown fields (safetyRatings, citationMetadata, …) are tolerated and ignored.
 */

const functionCallSchema = z.looseObject({
  name: z.string(),
  args: z.record(z.string(), z.unknown()).optional(),
  id: z.string().optional(),
});

const partSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  functionCall: functionCallSchema.optional(),
});

const candidateSchema = z.looseObject({
  content: z.looseObject({ parts: z.array(partSchema).optional(), role: z.string().optional() }).optional(),
  finishReason: z.string().optional(),
  finishMessage: z.string().optional(),
});

export const geminiUsageSchema = z.looseObject({
  promptTokenCount: z.number().optional(),
  cachedContentTokenCount: z.number().optional(),
  candidatesTokenCount: z.number().optional(),
  thoughtsTokenCount: z.number().optional(),
  toolUsePromptTokenCount: z.number().optional(),
  totalTokenCount: z.number().optional(),
});

export const geminiResponseSchema = z.looseObject({
  candidates: z.array(candidateSchema).optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: geminiUsageSchema.optional(),
  modelVersion: z.string().optional(),
  responseId: z.string().optional(),
});

const errorDetailSchema = z.looseObject({
  '@type': z.string().optional(),
  reason: z.string().optional(),
  retryDelay: z.string().optional(),
});

export const geminiErrorBodySchema = z.looseObject({
  error: z.looseObject({
    code: z.number().optional(),
    message: z.string().optional(),
    status: z.string().optional(),
    details: z.array(errorDetailSchema).optional(),
  }),
});

export const geminiEmbeddingsResponseSchema = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
});

export type GeminiResponsePart = z.infer<typeof partSchema>;
export type GeminiCandidate = z.infer<typeof candidateSchema>;
export type GeminiResponse = z.infer<typeof geminiResponseSchema>;
export type GeminiUsageMetadata = z.infer<typeof geminiUsageSchema>;
export type GeminiErrorPayload = z.infer<typeof geminiErrorBodySchema>['error'];

/** Renders a zod issue path as `candidates[0].content.parts[1]`. */
export function formatIssuePath(path: ReadonlyArray<PropertyKey>): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else out += out === '' ? String(key) : `.${String(key)}`;
  }
  return out === '' ? '(root)' : out;
}
