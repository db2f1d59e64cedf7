import { z } from 'zod';

/** Gemini `generateContent` request shapes: parsed from clients by the dialect, built for upstreams by the provider. */

const objectSchema = z.record(z.string(), z.unknown());

/** One `Part`: exactly one data field is expected; the converter decides which and rejects the rest by path. */
const partSchema = z.looseObject({
  text: z.string().optional(),
  thought: z.boolean().optional(),
  thoughtSignature: z.string().optional(),
  inlineData: z.looseObject({ mimeType: z.string(), data: z.string() }).optional(),
  fileData: z.looseObject({ fileUri: z.string(), mimeType: z.string().optional() }).optional(),
  functionCall: z
    .looseObject({ name: z.string().min(1), args: objectSchema.optional(), id: z.string().optional() })
    .optional(),
  functionResponse: z
    .looseObject({ name: z.string().min(1), response: objectSchema.optional(), id: z.string().optional() })
    .optional(),
});

const contentSchema = z.object({
  role: z.enum(['user', 'model']).optional(),
  parts: z.array(partSchema),
});

const functionDeclarationSchema = z.looseObject({
  name: z.string().min(1),
  description: z.string().optional(),
  parameters: objectSchema.optional(),
  parametersJsonSchema: objectSchema.optional(),
});

const toolSchema = z.looseObject({ functionDeclarations: z.array(functionDeclarationSchema).optional() });

const toolConfigSchema = z.looseObject({
  functionCallingConfig: z
    .looseObject({
      mode: z.enum(['MODE_UNSPECIFIED', 'AUTO', 'ANY', 'NONE', 'VALIDATED']).optional(),
      allowedFunctionNames: z.array(z.string()).optional(),
    })
    .optional(),
});

const generationConfigSchema = z.looseObject({
  temperature: z.number().min(0).max(2).optional(),
  topP: z.number().min(0).max(1).optional(),
  topK: z.number().min(0).optional(),
  maxOutputTokens: z.number().int().min(1).optional(),
  stopSequences: z.array(z.string()).optional(),
  seed: z.number().int().optional(),
  presencePenalty: z.number().optional(),
  frequencyPenalty: z.number().optional(),
  candidateCount: z.number().int().min(1).optional(),
  responseMimeType: z.string().optional(),
  responseSchema: objectSchema.optional(),
  responseJsonSchema: objectSchema.optional(),
  thinkingConfig: z
    .looseObject({
      thinkingBudget: z.number().int().min(-1).optional(),
      includeThoughts: z.boolean().optional(),
      thinkingLevel: z.enum(['THINKING_LEVEL_UNSPECIFIED', 'MINIMAL', 'LOW', 'MEDIUM', 'HIGH']).optional(),
    })
    .optional(),
});

/**
 * `generateContent` / `streamGenerateContent` body (REST, camelCase, as js-genai sends it). The model lives in the
 * URL. Unknown top-level fields (`safetySettings`, `cachedContent`, `labels`, …) are kept for `providerOptions`.
 */
export const geminiRequestSchema = z.looseObject({
  contents: z.array(contentSchema),
  systemInstruction: z.object({ role: z.string().optional(), parts: z.array(partSchema) }).optional(),
  tools: z.array(toolSchema).optional(),
  toolConfig: toolConfigSchema.optional(),
  generationConfig: generationConfigSchema.optional(),
});

export type GeminiRequestBody = z.infer<typeof geminiRequestSchema>;
export type GeminiContent = z.infer<typeof contentSchema>;
export type GeminiPart = z.infer<typeof partSchema>;
export type GeminiTool = z.infer<typeof toolSchema>;
export type GeminiToolConfig = z.infer<typeof toolConfigSchema>;
export type GeminiGenerationConfig = z.infer<typeof generationConfigSchema>;
export type GeminiThinkingConfig = NonNullable<GeminiGenerationConfig['thinkingConfig']>;
export type GeminiFunctionDeclaration = z.infer<typeof functionDeclarationSchema>;

/** Top-level fields the parser maps itself; the rest go to `providerOptions.gemini` verbatim. */
export const KNOWN_REQUEST_FIELDS: ReadonlySet<string> = new Set([
  'contents',
  'systemInstruction',
  'tools',
  'toolConfig',
  'generationConfig',
]);
