/** One JSON endpoint per client format, with a minimal valid body and a check that an error body is in its format. */
export interface JsonEndpoint {
  name: string;
  path: string;
  /** A valid body for this endpoint, naming `model`. */
  body(model: string): Record<string, unknown>;
  /** The error body's message when it is well-formed in the endpoint's format, else undefined. */
  errorMessage(body: unknown): string | undefined;
}

function field(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

function openAIError(body: unknown): string | undefined {
  const error = field(body, 'error');
  const message = field(error, 'message');
  return typeof message === 'string' && typeof field(error, 'type') === 'string' ? message : undefined;
}

function anthropicError(body: unknown): string | undefined {
  const error = field(body, 'error');
  const message = field(error, 'message');
  return field(body, 'type') === 'error' && typeof field(error, 'type') === 'string' && typeof message === 'string' ? message : undefined;
}

function geminiError(body: unknown): string | undefined {
  const error = field(body, 'error');
  const message = field(error, 'message');
  return typeof field(error, 'code') === 'number' && typeof field(error, 'status') === 'string' && typeof message === 'string' ? message : undefined;
}

const userText = (text: string) => [{ role: 'user', content: text }];

export const JSON_ENDPOINTS: readonly JsonEndpoint[] = [
  { name: 'openai chat', path: '/v1/chat/completions', body: (model) => ({ model, messages: userText('hi') }), errorMessage: openAIError },
  {
    name: 'anthropic messages',
    path: '/v1/messages',
    body: (model) => ({ model, max_tokens: 16, messages: userText('hi') }),
    errorMessage: anthropicError,
  },
  {
    name: 'anthropic count_tokens',
    path: '/v1/messages/count_tokens',
    body: (model) => ({ model, messages: userText('hi') }),
    errorMessage: anthropicError,
  },
  {
    name: 'gemini generateContent',
    path: '/v1beta/models/main:generateContent',
    body: () => ({ contents: [{ role: 'user', parts: [{ text: 'hi' }] }] }),
    errorMessage: geminiError,
  },
  { name: 'openai embeddings', path: '/v1/embeddings', body: (model) => ({ model, input: 'hi' }), errorMessage: openAIError },
];

/** JSON text of a schema nested `depth` levels deep (built as text: JSON.stringify itself overflows on it). */
export function nestedSchemaJson(depth: number): string {
  return `${'{"type":"object","properties":{"x":'.repeat(depth)}{"type":"string"}${'}}'.repeat(depth)}`;
}

/** `body` as JSON text with `field` set to the given raw JSON text. */
export function withRawField(body: Record<string, unknown>, path: readonly string[], rawJson: string): string {
  const marker = '"__raw_json_marker__"';
  let value: unknown = marker;
  for (const key of [...path].reverse()) value = { [key]: value };
  const merged = { ...body, ...(value as Record<string, unknown>) };
  return JSON.stringify(merged).replace(JSON.stringify(marker), rawJson);
}
