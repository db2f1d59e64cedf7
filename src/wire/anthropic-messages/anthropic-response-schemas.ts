import { z } from 'zod';
import { GatewayError } from '../../core/index.js';

/** Schemas for what Anthropic sends back. Loose objects: new fields must not break decoding. */

export const anthropicUsageSchema = z.looseObject({
  input_tokens: z.number().nullish(),
  output_tokens: z.number().nullish(),
  cache_creation_input_tokens: z.number().nullish(),
  cache_read_input_tokens: z.number().nullish(),
  output_tokens_details: z.looseObject({ thinking_tokens: z.number().nullish() }).nullish(),
});
export type AnthropicUsage = z.infer<typeof anthropicUsageSchema>;

/** Any content block; only the types in `anthropicKnownBlockSchema` are translated, the rest are skipped. */
const anthropicAnyBlockSchema = z.looseObject({ type: z.string() });

export const anthropicKnownBlockSchema = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('text'), text: z.string() }),
  z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() }),
  z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() }),
  z.looseObject({ type: z.literal('tool_use'), id: z.string(), name: z.string(), input: z.record(z.string(), z.unknown()) }),
]);
export type AnthropicKnownBlock = z.infer<typeof anthropicKnownBlockSchema>;

/** True when the block type is one the adapter translates. */
export function isKnownBlockType(type: string): boolean {
  return type === 'text' || type === 'thinking' || type === 'redacted_thinking' || type === 'tool_use';
}

export const anthropicMessageSchema = z.looseObject({
  id: z.string().optional(),
  model: z.string().optional(),
  content: z.array(anthropicAnyBlockSchema),
  stop_reason: z.string().nullish(),
  stop_sequence: z.string().nullish(),
  usage: anthropicUsageSchema.nullish(),
});

export const anthropicErrorDetailSchema = z.looseObject({ type: z.string(), message: z.string().optional() });
export type AnthropicErrorDetail = z.infer<typeof anthropicErrorDetailSchema>;

export const anthropicErrorBodySchema = z.looseObject({ error: anthropicErrorDetailSchema });

/** Stream payloads, validated per event type once the type is known. */
export const anthropicStreamSchemas = {
  header: z.looseObject({ type: z.string().optional() }),
  messageStart: z.looseObject({
    message: z.looseObject({
      id: z.string().optional(),
      model: z.string().optional(),
      stop_reason: z.string().nullish(),
      usage: z.record(z.string(), z.unknown()).nullish(),
    }),
  }),
  blockStart: z.looseObject({ index: z.number().int(), content_block: anthropicAnyBlockSchema }),
  blockDelta: z.looseObject({ index: z.number().int(), delta: anthropicAnyBlockSchema }),
  blockStop: z.looseObject({ index: z.number().int() }),
  messageDelta: z.looseObject({
    delta: z.looseObject({ stop_reason: z.string().nullish(), stop_sequence: z.string().nullish() }),
    usage: z.record(z.string(), z.unknown()).nullish(),
  }),
  error: z.looseObject({ error: anthropicErrorDetailSchema }),
  textDelta: z.looseObject({ type: z.literal('text_delta'), text: z.string() }),
  thinkingDelta: z.looseObject({ type: z.literal('thinking_delta'), thinking: z.string() }),
  signatureDelta: z.looseObject({ type: z.literal('signature_delta'), signature: z.string() }),
  inputJsonDelta: z.looseObject({ type: z.literal('input_json_delta'), partial_json: z.string() }),
} as const;

function formatPath(prefix: string, path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (out, key) => (typeof key === 'number' ? `${out}[${key}]` : `${out}${out === '' ? '' : '.'}${String(key)}`),
    prefix,
  );
}

/**
 * Validates an upstream value, throwing GatewayError('upstream_malformed_response') that names the first bad field
 * (`content[0].input`) — the message carries the path and the expectation, never the upstream's data.
 */
export function parseUpstream<T>(schema: z.ZodType<T>, value: unknown, what: string, prefix = ''): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const where = issue ? formatPath(prefix, issue.path) : prefix;
  throw new GatewayError(
    'upstream_malformed_response',
    `Anthropic sent a malformed ${what}${where === '' ? '' : ` at ${where}`}: ${issue?.message ?? 'invalid'}`,
  );
}
