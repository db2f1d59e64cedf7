import { isRecord } from '../../core/index.js';
import type { OpenAIChatRequest } from '../../wire/openai-chat/openai-chat-request-schema.js';

const isNullish = (value: unknown): value is null | undefined => value === null || value === undefined;
const optional = (value: unknown, check: (present: unknown) => boolean): boolean => isNullish(value) || check(value);
const inRange = (min: number, max: number) => (value: unknown) => typeof value === 'number' && value >= min && value <= max;
const positiveInt = (value: unknown): boolean => Number.isSafeInteger(value) && (value as number) >= 1;
const isString = (value: unknown): value is string => typeof value === 'string';
const isBoolean = (value: unknown): boolean => typeof value === 'boolean';
const everyItem = (value: unknown, check: (item: unknown) => boolean): boolean => Array.isArray(value) && value.every(check);
// Built once: the checks run on every request.
const temperatureRange = inRange(0, 2);
const unitRange = inRange(0, 1);
const penaltyRange = inRange(-2, 2);
const isStreamOptions = (value: unknown): boolean => isRecord(value) && optional(value.include_usage, isBoolean);

const IMAGE_DETAILS = new Set(['auto', 'low', 'high']);
const REASONING_EFFORTS = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']);
const TOOL_CHOICE_MODES = new Set(['none', 'auto', 'required']);

/** A JSON object the schema takes as a record; one with an own `__proto__` key is left to the schema, which copies it. */
const isPlainRecord = (value: unknown): boolean => isRecord(value) && !Object.hasOwn(value, '__proto__');

const isTextPart = (part: unknown): boolean => isRecord(part) && part.type === 'text' && isString(part.text);
const isTextContent = (content: unknown): boolean => isString(content) || everyItem(content, isTextPart);

const isImageDetail = (value: unknown): boolean => isString(value) && IMAGE_DETAILS.has(value);

function isUserPart(part: unknown): boolean {
  if (isTextPart(part)) return true;
  if (!isRecord(part) || part.type !== 'image_url' || !isRecord(part.image_url)) return false;
  const { url, detail } = part.image_url;
  return isString(url) && optional(detail, isImageDetail);
}

const isAssistantPart = (part: unknown): boolean => isTextPart(part) || (isRecord(part) && part.type === 'refusal' && isString(part.refusal));

function isToolCall(call: unknown): boolean {
  if (!isRecord(call) || call.type !== 'function' || !isString(call.id) || !isRecord(call.function)) return false;
  return isString(call.function.name) && isString(call.function.arguments);
}

const isAssistantContent = (content: unknown): boolean => isString(content) || everyItem(content, isAssistantPart);
const isToolCalls = (calls: unknown): boolean => everyItem(calls, isToolCall);

/** The turns of a chat, agents' included: text and image parts, assistant tool calls and tool results. */
function isCommonMessage(message: unknown): boolean {
  if (!isRecord(message)) return false;
  switch (message.role) {
    case 'system':
    case 'developer':
      return isTextContent(message.content);
    case 'user':
      return isString(message.content) || everyItem(message.content, isUserPart);
    case 'assistant':
      return (
        optional(message.content, isAssistantContent) &&
        optional(message.tool_calls, isToolCalls) &&
        optional(message.reasoning_content, isString)
      );
    case 'tool':
      return isString(message.tool_call_id) && isTextContent(message.content) && optional(message.name, isString);
    default:
      return false;
  }
}

function isFunctionTool(tool: unknown): boolean {
  if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) return false;
  const fn = tool.function;
  return isString(fn.name) && optional(fn.description, isString) && optional(fn.parameters, isPlainRecord) && optional(fn.strict, isBoolean);
}

const isFunctionTools = (tools: unknown): boolean => everyItem(tools, isFunctionTool);
const isReasoningEffort = (effort: unknown): boolean => isString(effort) && REASONING_EFFORTS.has(effort);

function isToolChoice(choice: unknown): boolean {
  if (isString(choice)) return TOOL_CHOICE_MODES.has(choice);
  return isRecord(choice) && choice.type === 'function' && isRecord(choice.function) && isString(choice.function.name);
}

function isResponseFormat(format: unknown): boolean {
  if (!isRecord(format)) return false;
  if (format.type === 'text' || format.type === 'json_object') return true;
  if (format.type !== 'json_schema' || !isRecord(format.json_schema)) return false;
  const { name, description, schema, strict } = format.json_schema;
  return isString(name) && optional(description, isString) && optional(schema, isPlainRecord) && optional(strict, isBoolean);
}

const isStop = (value: unknown): boolean => isString(value) || (Array.isArray(value) && value.length <= 4 && value.every(isString));
const isStringRecord = (value: unknown): boolean => isRecord(value) && Object.values(value).every(isString);

/**
 * The common request checked by hand, because it is nearly every request and zod's general union walk is the largest
 * cost of parsing it (inside the gateway zod's shared parsers run several times slower than alone): chat turns with
 * text and image parts, agents' tool calls and results, function tools, tool choice, structured output and the scalar
 * settings. Anything else, valid or not (audio and file parts, custom tools, the `function` role), answers undefined
 * and takes the schema's path, which also writes the path-precise error messages.
 */
export function matchCommonChatRequest(body: unknown): OpenAIChatRequest | undefined {
  if (!isRecord(body)) return undefined;
  if (typeof body.model !== 'string' || body.model === '') return undefined;
  const { messages } = body;
  if (!Array.isArray(messages) || messages.length === 0 || !messages.every(isCommonMessage)) return undefined;
  const common =
    optional(body.tools, isFunctionTools) &&
    optional(body.tool_choice, isToolChoice) &&
    optional(body.parallel_tool_calls, isBoolean) &&
    optional(body.response_format, isResponseFormat) &&
    optional(body.reasoning_effort, isReasoningEffort) &&
    optional(body.max_completion_tokens, positiveInt) &&
    optional(body.max_tokens, positiveInt) &&
    optional(body.n, positiveInt) &&
    optional(body.temperature, temperatureRange) &&
    optional(body.top_p, unitRange) &&
    optional(body.frequency_penalty, penaltyRange) &&
    optional(body.presence_penalty, penaltyRange) &&
    optional(body.seed, Number.isSafeInteger) &&
    optional(body.stop, isStop) &&
    optional(body.user, isString) &&
    optional(body.metadata, isStringRecord) &&
    optional(body.stream, isBoolean) &&
    optional(body.stream_options, isStreamOptions);
  return common ? (body as OpenAIChatRequest) : undefined;
}
