import { z } from 'zod';

/**
 * Zod schemas for an OpenAI Chat Completions request body, built once: parsed from clients by the dialect, and the
 * types of the body the provider builds for OpenAI-compatible upstreams. Shapes follow the official `openai` SDK
 * types; `null` is accepted wherever the SDK allows it and means "not sent". Parts and roles the gateway cannot
 * translate (audio, files, custom tools, the `function` role) are recognised here so the converters can reject
 * them by path with a clear "unsupported" message instead of a generic type error.
 */

const textPart = z.object({ type: z.literal('text'), text: z.string() });

const imageUrlPart = z.object({
  type: z.literal('image_url'),
  image_url: z.object({ url: z.string(), detail: z.enum(['auto', 'low', 'high']).nullish() }),
});

const userPart = z.discriminatedUnion('type', [
  textPart,
  imageUrlPart,
  z.object({ type: z.literal('input_audio') }),
  z.object({ type: z.literal('file') }),
]);

const assistantPart = z.discriminatedUnion('type', [
  textPart,
  z.object({ type: z.literal('refusal'), refusal: z.string() }),
]);

const textContent = z.union([z.string(), z.array(textPart)]);

const toolCall = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('function'),
    id: z.string(),
    function: z.object({ name: z.string(), arguments: z.string() }),
  }),
  z.object({ type: z.literal('custom') }),
]);

const message = z.discriminatedUnion('role', [
  z.object({ role: z.literal('system'), content: textContent }),
  z.object({ role: z.literal('developer'), content: textContent }),
  z.object({ role: z.literal('user'), content: z.union([z.string(), z.array(userPart)]) }),
  z.object({
    role: z.literal('assistant'),
    content: z.union([z.string(), z.array(assistantPart)]).nullish(),
    tool_calls: z.array(toolCall).nullish(),
    reasoning_content: z.string().nullish(),
  }),
  // `name` is Mistral's: it wants the tool's name beside the call id.
  z.object({ role: z.literal('tool'), tool_call_id: z.string(), content: textContent, name: z.string().nullish() }),
  z.object({ role: z.literal('function') }),
]);

const tool = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('function'),
    function: z.object({
      name: z.string(),
      description: z.string().nullish(),
      parameters: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
  z.object({ type: z.literal('custom') }),
]);

const toolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.discriminatedUnion('type', [
    z.object({ type: z.literal('function'), function: z.object({ name: z.string() }) }),
    z.object({ type: z.literal('allowed_tools') }),
    z.object({ type: z.literal('custom') }),
  ]),
]);

const responseFormat = z.discriminatedUnion('type', [
  z.object({ type: z.literal('text') }),
  z.object({ type: z.literal('json_object') }),
  z.object({
    type: z.literal('json_schema'),
    json_schema: z.object({
      name: z.string(),
      description: z.string().nullish(),
      schema: z.record(z.string(), z.unknown()).nullish(),
      strict: z.boolean().nullish(),
    }),
  }),
]);

const positiveInt = z.number().int().min(1);

export const openAIChatRequestSchema = z.object({
  model: z.string().min(1),
  messages: z.array(message).min(1),
  tools: z.array(tool).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: responseFormat.nullish(),
  max_completion_tokens: positiveInt.nullish(),
  max_tokens: positiveInt.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  frequency_penalty: z.number().min(-2).max(2).nullish(),
  presence_penalty: z.number().min(-2).max(2).nullish(),
  seed: z.number().int().nullish(),
  stop: z.union([z.string(), z.array(z.string()).max(4)]).nullish(),
  user: z.string().nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']).nullish(),
  n: positiveInt.nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
});

/** Top-level fields the gateway maps itself; every other field is kept as an OpenAI-only provider option. */
export const MAPPED_REQUEST_FIELDS: ReadonlySet<string> = new Set(Object.keys(openAIChatRequestSchema.shape));

export type OpenAIChatRequest = z.infer<typeof openAIChatRequestSchema>;
export type OpenAIMessage = OpenAIChatRequest['messages'][number];
export type OpenAITool = NonNullable<OpenAIChatRequest['tools']>[number];
export type OpenAIFunctionTool = Extract<OpenAITool, { type: 'function' }>;
export type OpenAIToolMessage = Extract<OpenAIMessage, { role: 'tool' }>;
export type OpenAIToolChoice = NonNullable<OpenAIChatRequest['tool_choice']>;
/** A tool choice as the OpenAI-compatible family accepts it: Mistral says `any` where OpenAI says `required`. */
export type OpenAIFamilyToolChoice = OpenAIToolChoice | 'any';
export type OpenAIUserMessage = Extract<OpenAIMessage, { role: 'user' }>;
export type OpenAIContentPart = Exclude<OpenAIUserMessage['content'], string>[number];
export type OpenAIAssistantMessage = Extract<OpenAIMessage, { role: 'assistant' }>;
export type OpenAIToolCall = NonNullable<OpenAIAssistantMessage['tool_calls']>[number];
export type OpenAIResponseFormat = NonNullable<OpenAIChatRequest['response_format']>;
