import { isRecord } from '../../core/index.js';
import { openAIResponsesRequestSchema, type OpenAIResponsesRequest } from '../../wire/openai-responses/openai-responses-request-schema.js';
import { readResponsesInputItems } from './read-openai-responses-request.js';

type Item = Record<string, unknown>;

const ID_PREFIXES: Readonly<Record<string, string>> = { message: 'msg', function_call: 'fc', function_call_output: 'fco', reasoning: 'rs' };

/** A message item with string content in the typed part form that `input_items` lists. */
function withTypedContent(item: Item): Item {
  if (typeof item.content !== 'string') return item;
  return { ...item, content: [{ type: item.role === 'assistant' ? 'output_text' : 'input_text', text: item.content }] };
}

function readInput(value: unknown): OpenAIResponsesRequest['input'] {
  const items = readResponsesInputItems(value);
  if (items !== undefined) return items;
  const parsed = openAIResponsesRequestSchema.shape.input.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}

/**
 * A request's `input` as the items a stored response keeps: a string becomes one user message, a message without a
 * `type` gets `message`, every item gets an id (`<kind>_<request id>_in<n>` unless it has one), and encrypted
 * reasoning is left out (no provider but its author can read it, so it is never sent anywhere). Input that is not
 * valid yields no items; the request itself is validated by the parser.
 */
export function toStoredInputItems(body: unknown, requestId: string): Item[] {
  const input = readInput(isRecord(body) ? body.input : undefined);
  if (input == null) return [];
  const items: Item[] = typeof input === 'string' ? [{ type: 'message', role: 'user', content: input }] : input.map((item) => ({ ...item }));
  return items.map((item, i) => {
    const type = typeof item.type === 'string' ? item.type : 'message';
    const { encrypted_content: _dropped, ...kept } = withTypedContent({ ...item, type });
    const id = typeof item.id === 'string' && item.id !== '' ? item.id : `${ID_PREFIXES[type] ?? 'item'}_${requestId}_in${i}`;
    return { ...kept, id };
  });
}

/** The output items of a stored Response object, as the input items of the request that continues it. */
export function outputAsInputItems(response: Item): Item[] {
  return Array.isArray(response.output) ? response.output.filter(isRecord) : [];
}
