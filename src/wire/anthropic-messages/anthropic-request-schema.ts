import { z } from 'zod';

/** Anthropic Messages request shapes: parsed from clients by the dialect, built for upstreams by the provider. */

/** Block types the API accepts but the canonical model cannot carry to another provider. */
const UNSUPPORTED_BLOCK_TYPES = [
  'document',
  'search_result',
  'tool_reference',
  'browser_state',
  'server_tool_use',
  'web_search_tool_result',
  'web_fetch_tool_result',
  'code_execution_tool_result',
  'bash_code_execution_tool_result',
  'text_editor_code_execution_tool_result',
  'tool_search_tool_result',
  'container_upload',
] as const;

/** The image media types Anthropic accepts. */
const ANTHROPIC_IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;
/** One of the image media types Anthropic accepts. */
export type AnthropicImageMediaType = (typeof ANTHROPIC_IMAGE_MEDIA_TYPES)[number];

const cacheControlSchema = z
  .object({ type: z.literal('ephemeral'), ttl: z.enum(['5m', '1h']).optional() })
  .nullish();

const textBlockSchema = z.object({
  type: z.literal('text'),
  text: z.string(),
  cache_control: cacheControlSchema,
  citations: z.unknown().optional(),
});

const imageBlockSchema = z.object({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.object({
      type: z.literal('base64'),
      media_type: z.enum(ANTHROPIC_IMAGE_MEDIA_TYPES),
      data: z.string(),
    }),
    z.object({ type: z.literal('url'), url: z.string() }),
    z.object({ type: z.literal('file'), file_id: z.string() }),
  ]),
  cache_control: cacheControlSchema,
});

const unsupportedBlockSchema = z.looseObject({ type: z.enum(UNSUPPORTED_BLOCK_TYPES) });

const toolResultBlockSchema = z.object({
  type: z.literal('tool_result'),
  tool_use_id: z.string(),
  content: z
    .union([z.string(), z.array(z.discriminatedUnion('type', [textBlockSchema, imageBlockSchema, unsupportedBlockSchema]))])
    .optional(),
  is_error: z.boolean().optional(),
  cache_control: cacheControlSchema,
});

const contentBlockSchema = z.discriminatedUnion('type', [
  textBlockSchema,
  imageBlockSchema,
  z.object({
    type: z.literal('tool_use'),
    id: z.string(),
    name: z.string(),
    input: z.record(z.string(), z.unknown()),
    cache_control: cacheControlSchema,
  }),
  toolResultBlockSchema,
  z.object({ type: z.literal('thinking'), thinking: z.string(), signature: z.string() }),
  z.object({ type: z.literal('redacted_thinking'), data: z.string() }),
  unsupportedBlockSchema,
]);

const messageSchema = z.object({
  role: z.enum(['user', 'assistant', 'system']),
  content: z.union([z.string(), z.array(contentBlockSchema)]),
});

const customToolSchema = z.looseObject({
  type: z.literal('custom').nullish(),
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.record(z.string(), z.unknown()),
  cache_control: cacheControlSchema,
  strict: z.boolean().optional(),
});

/** Anthropic-hosted tools (`web_search_20250305`, `bash_20250124`, …): kept opaque. */
const serverToolSchema = z.looseObject({
  type: z.string().refine((type) => type !== 'custom', 'Invalid input: a server tool type'),
});

const jsonOutputFormatSchema = z.object({
  type: z.literal('json_schema'),
  schema: z.record(z.string(), z.unknown()),
});

const toolChoiceSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('tool'), name: z.string(), disable_parallel_tool_use: z.boolean().optional() }),
  z.object({ type: z.literal('none') }),
]);

const thinkingSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1) }),
  z.looseObject({ type: z.literal('disabled') }),
  z.looseObject({ type: z.literal('adaptive') }),
  z.looseObject({ type: z.literal('between_tools') }),
]);

/**
 * `POST /v1/messages` body, both API versions (2023-06-01 and 2026-10-21). `max_tokens` is optional here; the
 * parser enforces it where the version requires it. Unknown top-level fields are kept for `providerOptions`.
 */
export const anthropicRequestSchema = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1).optional(),
  messages: z.array(messageSchema),
  system: z.union([z.string(), z.array(textBlockSchema)]).optional(),
  tools: z.array(z.union([customToolSchema, serverToolSchema])).optional(),
  tool_choice: toolChoiceSchema.optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().min(0).optional(),
  thinking: thinkingSchema.optional(),
  output_config: z
    .looseObject({
      format: jsonOutputFormatSchema.nullish(),
      effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullish(),
    })
    .optional(),
  output_format: jsonOutputFormatSchema.nullish(),
  metadata: z.looseObject({ user_id: z.string().nullish() }).optional(),
  stream: z.boolean().optional(),
});

export type AnthropicRequestBody = z.infer<typeof anthropicRequestSchema>;
export type AnthropicMessageParam = z.infer<typeof messageSchema>;
export type AnthropicContentBlock = z.infer<typeof contentBlockSchema>;
export type AnthropicTextBlock = z.infer<typeof textBlockSchema>;
export type AnthropicImageBlock = z.infer<typeof imageBlockSchema>;
export type AnthropicToolResultBlock = z.infer<typeof toolResultBlockSchema>;
export type AnthropicToolParam = NonNullable<AnthropicRequestBody['tools']>[number];
export type AnthropicCustomTool = z.infer<typeof customToolSchema>;
export type AnthropicToolChoice = z.infer<typeof toolChoiceSchema>;
export type AnthropicCacheControl = z.infer<typeof cacheControlSchema>;

/** Field names the parser maps itself; anything else at the top level goes to `providerOptions.anthropic`. */
export const KNOWN_REQUEST_FIELDS: ReadonlySet<string> = new Set([
  'model',
  'max_tokens',
  'messages',
  'system',
  'tools',
  'tool_choice',
  'stop_sequences',
  'temperature',
  'top_p',
  'top_k',
  'thinking',
  'output_config',
  'output_format',
  'metadata',
  'stream',
]);
