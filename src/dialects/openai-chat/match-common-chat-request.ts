import { isRecord } from '../../core/index.js';
import type { OpenAIChatRequest } from '../../wire/openai-chat/openai-chat-request-schema.js';
import { everyItem, isBoolean, isPlainRecord, isPositiveInt, isString, isTemperature, isUnitNumber, nullish } from '../shared/json-shape-checks.js';

const isPenalty = (value: unknown): boolean => typeof value === 'number' && value >= -2 && value <= 2;
const isStreamOptions = (value: unknown): boolean => isRecord(value) && nullish(value.include_usage, isBoolean);

const IMAGE_DETAILS = new Set(['auto', 'low', 'high']);
const REASONING_EFFORTS = new Set(['none', 'minimal', 'low', 'medium', 'high', 'xhigh', 'max']);
const TOOL_CHOICE_MODES = new Set(['none', 'auto', 'required']);

const isTextPart = (part: unknown): boolean => isRecord(part) && part.type === 'text' && isString(part.text);
const isTextContent = (content: unknown): boolean => isString(content) || everyItem(content, isTextPart);

const isImageDetail = (value: unknown): boolean => isString(value) && IMAGE_DETAILS.has(value);

function isUserPart(part: unknown): boolean {
  if (isTextPart(part)) return true;
  if (!isRecord(part) || part.type !== 'image_url' || !isRecord(part.image_url)) return false;
  const { url, detail } = part.image_url;
  return isString(url) && nullish(detail, isImageDetail);
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
        nullish(message.content, isAssistantContent) &&
        nullish(message.tool_calls, isToolCalls) &&
        nullish(message.reasoning_content, isString)
      );
    case 'tool':
      return isString(message.tool_call_id) && isTextContent(message.content) && nullish(message.name, isString);
    default:
      return false;
  }
}

function isFunctionTool(tool: unknown): boolean {
  if (!isRecord(tool) || tool.type !== 'function' || !isRecord(tool.function)) return false;
  const fn = tool.function;
  return isString(fn.name) && nullish(fn.description, isString) && nullish(fn.parameters, isPlainRecord) && nullish(fn.strict, isBoolean);
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
  return isString(name) && nullish(description, isString) && nullish(schema, isPlainRecord) && nullish(strict, isBoolean);
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
    nullish(body.tools, isFunctionTools) &&
    nullish(body.tool_choice, isToolChoice) &&
    nullish(body.parallel_tool_calls, isBoolean) &&
    nullish(body.response_format, isResponseFormat) &&
    nullish(body.reasoning_effort, isReasoningEffort) &&
    nullish(body.max_completion_tokens, isPositiveInt) &&
    nullish(body.max_tokens, isPositiveInt) &&
    nullish(body.n, isPositiveInt) &&
    nullish(body.temperature, isTemperature) &&
    nullish(body.top_p, isUnitNumber) &&
    nullish(body.frequency_penalty, isPenalty) &&
    nullish(body.presence_penalty, isPenalty) &&
    nullish(body.seed, Number.isSafeInteger) &&
    nullish(body.stop, isStop) &&
    nullish(body.user, isString) &&
    nullish(body.metadata, isStringRecord) &&
    nullish(body.stream, isBoolean) &&
    nullish(body.stream_options, isStreamOptions);
  return common ? (body as OpenAIChatRequest) : undefined;
}
