import { isRecord } from '../../core/index.js';
import type { AnthropicRequestBody } from '../../wire/anthropic-messages/anthropic-request-schema.js';
import { everyItem, isBoolean, isNonNegativeInt, isPlainRecord, isPositiveInt, isString, isStrings, isUnitNumber, onlyKeys, optional } from '../shared/json-shape-checks.js';

const CACHE_CONTROL_KEYS = new Set(['type', 'ttl']);

function isCacheTtl(ttl: unknown): boolean {
  return ttl === '5m' || ttl === '1h';
}

function isCacheControl(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return isRecord(value) && onlyKeys(value, CACHE_CONTROL_KEYS) && value.type === 'ephemeral' && optional(value.ttl, isCacheTtl);
}

const TEXT_KEYS = new Set(['type', 'text', 'cache_control', 'citations']);
const TOOL_USE_KEYS = new Set(['type', 'id', 'name', 'input', 'cache_control']);
const TOOL_RESULT_KEYS = new Set(['type', 'tool_use_id', 'content', 'is_error', 'cache_control']);
const THINKING_KEYS = new Set(['type', 'thinking', 'signature']);
const REDACTED_THINKING_KEYS = new Set(['type', 'data']);

function isTextBlock(value: unknown): boolean {
  return isRecord(value) && value.type === 'text' && onlyKeys(value, TEXT_KEYS) && isString(value.text) && isCacheControl(value.cache_control);
}

const IMAGE_KEYS = new Set(['type', 'source', 'cache_control']);
const BASE64_SOURCE_KEYS = new Set(['type', 'media_type', 'data']);
const URL_SOURCE_KEYS = new Set(['type', 'url']);
const FILE_SOURCE_KEYS = new Set(['type', 'file_id']);
const IMAGE_MEDIA_TYPES = new Set(['image/jpeg', 'image/png', 'image/gif', 'image/webp']);

function isImageSource(value: unknown): boolean {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'base64':
      return onlyKeys(value, BASE64_SOURCE_KEYS) && isString(value.media_type) && IMAGE_MEDIA_TYPES.has(value.media_type) && isString(value.data);
    case 'url':
      return onlyKeys(value, URL_SOURCE_KEYS) && isString(value.url);
    case 'file':
      return onlyKeys(value, FILE_SOURCE_KEYS) && isString(value.file_id);
    default:
      return false;
  }
}

/**
 * An image block. Once a conversation holds a screenshot, every later turn resends it, so leaving images to the
 * schema would put the whole conversation through it on every turn from then on.
 */
function isImageBlock(value: unknown): boolean {
  return isRecord(value) && value.type === 'image' && onlyKeys(value, IMAGE_KEYS) && isImageSource(value.source) && isCacheControl(value.cache_control);
}

function isToolResultBlock(value: unknown): boolean {
  return isTextBlock(value) || isImageBlock(value);
}

function isToolResultContent(value: unknown): boolean {
  return isString(value) || everyItem(value, isToolResultBlock);
}

/** The blocks agents send on every turn: text, images, tool use and result, thinking. The rest go to the schema. */
function isContentBlock(value: unknown): boolean {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'text':
      return isTextBlock(value);
    case 'image':
      return isImageBlock(value);
    case 'tool_use':
      return onlyKeys(value, TOOL_USE_KEYS) && isString(value.id) && isString(value.name) && isPlainRecord(value.input) && isCacheControl(value.cache_control);
    case 'tool_result':
      return (
        onlyKeys(value, TOOL_RESULT_KEYS) &&
        isString(value.tool_use_id) &&
        optional(value.content, isToolResultContent) &&
        optional(value.is_error, isBoolean) &&
        isCacheControl(value.cache_control)
      );
    case 'thinking':
      return onlyKeys(value, THINKING_KEYS) && isString(value.thinking) && isString(value.signature);
    case 'redacted_thinking':
      return onlyKeys(value, REDACTED_THINKING_KEYS) && isString(value.data);
    default:
      return false;
  }
}

const MESSAGE_KEYS = new Set(['role', 'content']);
const ROLES = new Set(['user', 'assistant', 'system']);

function isMessage(value: unknown): boolean {
  if (!isRecord(value) || !onlyKeys(value, MESSAGE_KEYS) || !isString(value.role) || !ROLES.has(value.role)) return false;
  return isString(value.content) || everyItem(value.content, isContentBlock);
}

/** A client-defined tool (the loose schema keeps its other keys); Anthropic's server tools go to the schema. */
function isCustomTool(value: unknown): boolean {
  if (!isRecord(value)) return false;
  const { type, name } = value;
  if (type !== undefined && type !== null && type !== 'custom') return false;
  return (
    isString(name) &&
    name.length > 0 &&
    optional(value.description, isString) &&
    isPlainRecord(value.input_schema) &&
    isCacheControl(value.cache_control) &&
    optional(value.strict, isBoolean)
  );
}

function isCustomTools(tools: unknown): boolean {
  return everyItem(tools, isCustomTool);
}

const TOOL_CHOICE_KEYS = new Set(['type', 'disable_parallel_tool_use']);
const NAMED_TOOL_CHOICE_KEYS = new Set(['type', 'name', 'disable_parallel_tool_use']);

function isToolChoice(value: unknown): boolean {
  if (!isRecord(value)) return false;
  switch (value.type) {
    case 'auto':
    case 'any':
      return onlyKeys(value, TOOL_CHOICE_KEYS) && optional(value.disable_parallel_tool_use, isBoolean);
    case 'tool':
      return onlyKeys(value, NAMED_TOOL_CHOICE_KEYS) && isString(value.name) && optional(value.disable_parallel_tool_use, isBoolean);
    default:
      return false;
  }
}

function isThinking(value: unknown): boolean {
  if (!isRecord(value)) return false;
  if (value.type === 'enabled') return isPositiveInt(value.budget_tokens);
  return value.type === 'disabled' || value.type === 'adaptive' || value.type === 'between_tools';
}

function isSystem(value: unknown): boolean {
  return isString(value) || everyItem(value, isTextBlock);
}

const JSON_FORMAT_KEYS = new Set(['type', 'schema']);
const EFFORTS = new Set(['low', 'medium', 'high', 'xhigh', 'max']);

function isJsonFormat(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  return isRecord(value) && onlyKeys(value, JSON_FORMAT_KEYS) && value.type === 'json_schema' && isPlainRecord(value.schema);
}

function isOutputConfig(value: unknown): boolean {
  if (!isRecord(value) || !isJsonFormat(value.format)) return false;
  const { effort } = value;
  return effort === undefined || effort === null || (isString(effort) && EFFORTS.has(effort));
}

function isMetadata(value: unknown): boolean {
  return isRecord(value) && (value.user_id === undefined || value.user_id === null || isString(value.user_id));
}

/**
 * The body as it is when it has the shape agents send on every turn (text, tool use and result, thinking blocks;
 * client tools; the scalar settings) and `anthropicRequestSchema` would accept it unchanged, else undefined and the
 * schema decides (and words the error). Inside a gateway process zod's shared parsers took 70 µs at the median for a
 * 5 KB Claude Code body, growing with the conversation; this walks the same body once, without copying it.
 */
export function readAnthropicRequest(body: unknown): AnthropicRequestBody | undefined {
  if (!isRecord(body)) return undefined;
  const { model } = body;
  if (!isString(model) || model.length === 0) return undefined;
  if (!everyItem(body.messages, isMessage)) return undefined;
  const fits =
    optional(body.max_tokens, isPositiveInt) &&
    optional(body.system, isSystem) &&
    optional(body.tools, isCustomTools) &&
    optional(body.tool_choice, isToolChoice) &&
    optional(body.stop_sequences, isStrings) &&
    optional(body.temperature, isUnitNumber) &&
    optional(body.top_p, isUnitNumber) &&
    optional(body.top_k, isNonNegativeInt) &&
    optional(body.thinking, isThinking) &&
    optional(body.output_config, isOutputConfig) &&
    isJsonFormat(body.output_format) &&
    optional(body.metadata, isMetadata) &&
    optional(body.stream, isBoolean);
  return fits ? (body as AnthropicRequestBody) : undefined;
}
