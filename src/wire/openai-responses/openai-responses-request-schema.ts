import { z } from 'zod';

/**
 * Zod schemas for an OpenAI Responses API request body (`POST /v1/responses`), following the official `openai` SDK
 * types and the Open Responses specification. Objects are loose: the official clients and Codex send many
 * bookkeeping fields (`store`, `prompt_cache_key`, `client_metadata`, `include`, …) that must never cause a 400, and
 * item and tool types the gateway cannot serve are recognised by `type` only so the converter can drop or reject them
 * by path with a clear message.
 */

/** Any object whose `type` is none of `known`: a shape the converter drops or rejects by name, never a typo'd known one. */
function otherType(known: ReadonlyArray<string>) {
  return z.looseObject({ type: z.string().refine((type) => !known.includes(type), { message: 'Invalid shape for this type' }) });
}

const inputText = z.looseObject({ type: z.literal('input_text'), text: z.string() });
const outputText = z.looseObject({ type: z.literal('output_text'), text: z.string() });
const inputImage = z.looseObject({
  type: z.literal('input_image'),
  image_url: z.string().nullish(),
  file_id: z.string().nullish(),
  detail: z.enum(['auto', 'low', 'high', 'original']).nullish(),
});
const otherPart = otherType(['input_text', 'output_text', 'input_image']);

/** One content part of an input message: text and images are translated; anything else is rejected by path. */
const contentPart = z.union([inputText, outputText, inputImage, otherPart]);

const messageItem = z.looseObject({
  type: z.literal('message').optional(),
  role: z.enum(['user', 'assistant', 'system', 'developer']),
  content: z.union([z.string(), z.array(contentPart)]),
});

const functionCallItem = z.looseObject({
  type: z.literal('function_call'),
  call_id: z.string(),
  name: z.string(),
  arguments: z.string(),
  namespace: z.string().nullish(),
});

const functionCallOutputItem = z.looseObject({
  type: z.literal('function_call_output'),
  call_id: z.string(),
  output: z.union([z.string(), z.array(contentPart)]),
});

const reasoningItem = z.looseObject({
  type: z.literal('reasoning'),
  summary: z.array(z.looseObject({ text: z.string() })).nullish(),
  content: z.array(z.looseObject({ text: z.string() })).nullish(),
  encrypted_content: z.string().nullish(),
});

const otherItem = otherType(['message', 'function_call', 'function_call_output', 'reasoning']);

/** One input item; the order of the union matters: typed shapes first, then any other `type`. */
export const responsesInputItemSchema = z.union([functionCallItem, functionCallOutputItem, reasoningItem, messageItem, otherItem]);

const functionTool = z.looseObject({
  type: z.literal('function'),
  name: z.string().min(1),
  description: z.string().nullish(),
  parameters: z.record(z.string(), z.unknown()).nullish(),
  strict: z.boolean().nullish(),
});

const namespaceTool = z.looseObject({
  type: z.literal('namespace'),
  name: z.string().min(1),
  description: z.string().nullish(),
  tools: z.array(z.union([functionTool, otherType(['function'])])),
});

const otherTool = otherType(['function', 'namespace']);

const toolChoice = z.union([
  z.enum(['auto', 'none', 'required']),
  z.looseObject({ type: z.literal('function'), name: z.string() }),
  otherType(['function']),
]);

const textFormat = z.union([
  z.looseObject({ type: z.literal('text') }),
  z.looseObject({ type: z.literal('json_object') }),
  z.looseObject({
    type: z.literal('json_schema'),
    name: z.string(),
    schema: z.record(z.string(), z.unknown()),
    description: z.string().nullish(),
    strict: z.boolean().nullish(),
  }),
]);

/** The Responses request body as the gateway reads it. */
export const openAIResponsesRequestSchema = z.looseObject({
  model: z.string().min(1),
  input: z.union([z.string(), z.array(responsesInputItemSchema)]).nullish(),
  instructions: z.string().nullish(),
  tools: z.array(z.union([functionTool, namespaceTool, otherTool])).nullish(),
  tool_choice: toolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  text: z.looseObject({ format: textFormat.nullish() }).nullish(),
  reasoning: z
    .looseObject({ effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).nullish() })
    .nullish(),
  max_output_tokens: z.number().int().positive().nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
  user: z.string().nullish(),
  safety_identifier: z.string().nullish(),
  prompt_cache_key: z.string().nullish(),
  stream: z.boolean().nullish(),
  store: z.boolean().nullish(),
  previous_response_id: z.string().nullish(),
  background: z.boolean().nullish(),
});

export type OpenAIResponsesRequest = z.infer<typeof openAIResponsesRequestSchema>;
export type ResponsesInputItem = z.infer<typeof responsesInputItemSchema>;
export type ResponsesContentPart = z.infer<typeof contentPart>;
export type ResponsesFunctionTool = z.infer<typeof functionTool>;
