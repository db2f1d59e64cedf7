import { z } from 'zod';

/** Usage as OpenAI, DeepSeek (`prompt_cache_hit_tokens`), Mistral and Groq report it; other keys are kept. */
export const openAIUsageSchema = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
  prompt_cache_hit_tokens: z.number().nullish(),
});
export type OpenAIUsage = z.infer<typeof openAIUsageSchema>;

/** Mistral reasoning models answer with content chunks (`text`, and `thinking` holding text chunks). */
const contentChunkSchema = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  thinking: z.array(z.looseObject({ type: z.string(), text: z.string().nullish() })).nullish(),
});
export const openAIContentSchema = z.union([z.string(), z.array(contentChunkSchema)]);
export type OpenAIContent = z.infer<typeof openAIContentSchema>;

const toolCallSchema = z.looseObject({
  index: z.number().int().nonnegative().nullish(),
  id: z.string().nullish(),
  type: z.string().nullish(),
  function: z.looseObject({ name: z.string().nullish(), arguments: z.string().nullish() }).nullish(),
});
export type OpenAIToolCallFragment = z.infer<typeof toolCallSchema>;

/** The fields a message and a stream delta share. */
const messageFields = {
  role: z.string().nullish(),
  content: openAIContentSchema.nullish(),
  refusal: z.string().nullish(),
  reasoning_content: z.string().nullish(),
  tool_calls: z.array(toolCallSchema).nullish(),
};

export const openAIChatResponseSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z.array(
    z.looseObject({
      index: z.number().nullish(),
      message: z.looseObject(messageFields),
      finish_reason: z.string().nullish(),
    }),
  ),
  usage: openAIUsageSchema.nullish(),
});

export const openAIChatChunkSchema = z.looseObject({
  id: z.string().nullish(),
  model: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        index: z.number().nullish(),
        delta: z.looseObject(messageFields).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: openAIUsageSchema.nullish(),
  x_groq: z.looseObject({ usage: openAIUsageSchema.nullish() }).nullish(),
});
export type OpenAIChatChunk = z.infer<typeof openAIChatChunkSchema>;
export type OpenAIDelta = NonNullable<NonNullable<OpenAIChatChunk['choices']>[number]['delta']>;

/** Formats the first issue of a failed parse as `path: message`, e.g. `choices[0].message.content: …`. */
export function describeFirstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (issue === undefined) return 'invalid body';
  const path = issue.path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : out === '' ? String(key) : `${out}.${String(key)}`),
    '',
  );
  return `${path === '' ? '(root)' : path}: ${issue.message}`;
}
