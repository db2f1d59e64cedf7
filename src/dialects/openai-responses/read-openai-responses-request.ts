import type { OpenAIResponsesRequest, ResponsesInputItem } from '../../wire/openai-responses/openai-responses-request-schema.js';
import { everyItem, isBoolean, isNonEmptyString, isPlainRecord, isPositiveInt, isString, isTemperature, isUnitNumber, nullish } from '../shared/json-shape-checks.js';

// Every object the schema walks is loose: it keeps each key, so an accepted body comes out equal to what came in. The
// one key it cannot copy is an own `__proto__` (JSON.parse makes one; zod's copy drops it), so such objects go to it.

function isStringRecord(value: unknown): boolean {
  if (!isPlainRecord(value)) return false;
  for (const key in value) if (!isString(value[key])) return false;
  return true;
}

/**
 * A `type` the schema's catch-all branch takes: a string other than the typed ones, whose own shape must then hold. A
 * malformed typed shape is not one of these, so the schema rejects it.
 */
function isOtherType(value: unknown, known: ReadonlySet<string>): boolean {
  return isPlainRecord(value) && isString(value.type) && !known.has(value.type);
}

function isTextPart(value: unknown): boolean {
  return isPlainRecord(value) && (value.type === 'input_text' || value.type === 'output_text') && isString(value.text);
}

/** Text as agents send it; image and other parts go to the schema (and the converter words what it cannot take). */
function isTextContent(value: unknown): boolean {
  return isString(value) || everyItem(value, isTextPart);
}

function isTextEntry(value: unknown): boolean {
  return isPlainRecord(value) && isString(value.text);
}

function isTextEntries(value: unknown): boolean {
  return everyItem(value, isTextEntry);
}

const MESSAGE_ROLES = new Set(['user', 'assistant', 'system', 'developer']);
const TYPED_ITEMS = new Set(['message', 'function_call', 'function_call_output', 'reasoning']);

/** The items of an agent's turn: messages, function calls and their outputs, reasoning, and (kept as they are) the rest. */
function isInputItem(value: unknown): boolean {
  if (!isPlainRecord(value)) return false;
  switch (value.type) {
    case undefined:
    case 'message':
      return isString(value.role) && MESSAGE_ROLES.has(value.role) && isTextContent(value.content);
    case 'function_call':
      return isString(value.call_id) && isString(value.name) && isString(value.arguments) && nullish(value.namespace, isString);
    case 'function_call_output':
      return isString(value.call_id) && isTextContent(value.output);
    case 'reasoning':
      return nullish(value.summary, isTextEntries) && nullish(value.content, isTextEntries) && nullish(value.encrypted_content, isString);
    default:
      return isOtherType(value, TYPED_ITEMS);
  }
}

function isInput(value: unknown): boolean {
  return isString(value) || everyItem(value, isInputItem);
}

const TYPED_TOOLS = new Set(['function', 'namespace']);
const FUNCTION_ONLY = new Set(['function']);

function isFunctionTool(value: Record<string, unknown>): boolean {
  return (
    isNonEmptyString(value.name) &&
    nullish(value.description, isString) &&
    nullish(value.parameters, isPlainRecord) &&
    nullish(value.strict, isBoolean)
  );
}

function isNamespaceMember(value: unknown): boolean {
  if (!isPlainRecord(value)) return false;
  return value.type === 'function' ? isFunctionTool(value) : isOtherType(value, FUNCTION_ONLY);
}

/** Function tools, namespaces of them (MCP servers), and hosted or custom tools, which the schema knows by `type` only. */
function isTool(value: unknown): boolean {
  if (!isPlainRecord(value)) return false;
  switch (value.type) {
    case 'function':
      return isFunctionTool(value);
    case 'namespace':
      return isNonEmptyString(value.name) && nullish(value.description, isString) && everyItem(value.tools, isNamespaceMember);
    default:
      return isOtherType(value, TYPED_TOOLS);
  }
}

function isTools(value: unknown): boolean {
  return everyItem(value, isTool);
}

const TOOL_CHOICE_MODES = new Set(['auto', 'none', 'required']);

function isToolChoice(value: unknown): boolean {
  if (isString(value)) return TOOL_CHOICE_MODES.has(value);
  if (!isPlainRecord(value)) return false;
  return value.type === 'function' ? isString(value.name) : isOtherType(value, FUNCTION_ONLY);
}

function isTextFormat(value: unknown): boolean {
  if (!isPlainRecord(value)) return false;
  switch (value.type) {
    case 'text':
    case 'json_object':
      return true;
    case 'json_schema':
      return isString(value.name) && isPlainRecord(value.schema) && nullish(value.description, isString) && nullish(value.strict, isBoolean);
    default:
      return false;
  }
}

function isText(value: unknown): boolean {
  return isPlainRecord(value) && nullish(value.format, isTextFormat);
}

const EFFORTS = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']);

function isEffort(value: unknown): boolean {
  return isString(value) && EFFORTS.has(value);
}

function isReasoning(value: unknown): boolean {
  return isPlainRecord(value) && nullish(value.effort, isEffort);
}

/**
 * Input items as they are when `openAIResponsesRequestSchema.shape.input` would take them unchanged as a list, else
 * undefined and the schema decides.
 */
export function readResponsesInputItems(value: unknown): ResponsesInputItem[] | undefined {
  return everyItem(value, isInputItem) ? (value as ResponsesInputItem[]) : undefined;
}

/**
 * The body as it is when it has the shape Codex and the SDKs send (text messages, function calls and outputs,
 * reasoning, function, namespace and hosted tools, the scalar settings) and `openAIResponsesRequestSchema` would
 * accept it unchanged, else undefined and the schema decides (and words the error). Inside a gateway process zod's
 * shared parsers run several times slower than alone, growing with the conversation; this walks the body once, without
 * copying it.
 */
export function readOpenAIResponsesRequest(body: unknown): OpenAIResponsesRequest | undefined {
  if (!isPlainRecord(body) || !isNonEmptyString(body.model)) return undefined;
  const fits =
    nullish(body.input, isInput) &&
    nullish(body.instructions, isString) &&
    nullish(body.tools, isTools) &&
    nullish(body.tool_choice, isToolChoice) &&
    nullish(body.parallel_tool_calls, isBoolean) &&
    nullish(body.text, isText) &&
    nullish(body.reasoning, isReasoning) &&
    nullish(body.max_output_tokens, isPositiveInt) &&
    nullish(body.temperature, isTemperature) &&
    nullish(body.top_p, isUnitNumber) &&
    nullish(body.metadata, isStringRecord) &&
    nullish(body.user, isString) &&
    nullish(body.safety_identifier, isString) &&
    nullish(body.prompt_cache_key, isString) &&
    nullish(body.stream, isBoolean) &&
    nullish(body.store, isBoolean) &&
    nullish(body.previous_response_id, isString) &&
    nullish(body.background, isBoolean);
  return fits ? (body as OpenAIResponsesRequest) : undefined;
}
