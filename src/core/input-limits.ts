import type { CanonicalRequest } from './request.js';
import { GatewayError } from './gateway-error.js';

// Called as `hasOwnProperty.call` on a for-in key, V8's optimising compiler answers it from the loop's enum cache;
// `Object.hasOwn` it calls as a builtin, about 150 instructions a key.
const { hasOwnProperty } = Object.prototype;

/** Bounds on what one client request may contain; each has a config key under `input_limits` named in its error. */
export interface InputLimits {
  /** Nesting of arrays and objects in a JSON body. */
  jsonDepth: number;
  /** Characters in any one JSON string (keys included). */
  stringLength: number;
  /** Characters in a model name. */
  modelNameLength: number;
  /** Messages (or Gemini contents) in one request. */
  messages: number;
  /** Tool definitions in one request. */
  tools: number;
  /** Content parts in one message. */
  partsPerMessage: number;
}

/**
 * Defaults: far above what any provider accepts (OpenAI takes 128 tools, schemas nested 10 deep, model ids under
 * 100 characters), far below what would exhaust the gateway's stack or memory.
 */
export const DEFAULT_INPUT_LIMITS: Readonly<InputLimits> = {
  jsonDepth: 64,
  stringLength: 8 * 1024 * 1024,
  modelNameLength: 256,
  messages: 10_000,
  tools: 512,
  partsPerMessage: 1_000,
};

/**
 * How deep any walk of client-shaped data may go. Ingress bodies are already cut at `jsonDepth`; walks that also serve
 * the library API (schema converters) stop here too, so no input can overflow the stack.
 */
export const MAX_WALK_DEPTH = 256;

function overLimit(code: 'invalid_request' | 'request_too_large', what: string, limit: number, key: string, param?: string): GatewayError {
  return new GatewayError(code, `${what} exceeds the limit of ${limit} (input_limits.${key})`, param === undefined ? {} : { param });
}

/**
 * Checks a parsed JSON body without recursion: nesting depth and string lengths. Throws the 400/413 naming the limit;
 * returns the number of object keys in the body, at any depth.
 */
export function checkJsonLimits(body: unknown, limits: InputLimits): number {
  let keys = 0;
  // Two parallel stacks rather than one of [value, depth] pairs: no allocation per node of the body.
  const values: unknown[] = [body];
  const depths: number[] = [0];
  while (values.length > 0) {
    const value = values.pop();
    const depth = depths.pop() as number;
    if (typeof value === 'string') {
      if (value.length > limits.stringLength) throw overLimit('request_too_large', 'A JSON string length', limits.stringLength, 'string_length');
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= limits.jsonDepth) throw overLimit('invalid_request', 'JSON nesting depth', limits.jsonDepth, 'json_depth');
    if (Array.isArray(value)) {
      for (const item of value) {
        values.push(item);
        depths.push(depth + 1);
      }
      continue;
    }
    const record = value as Record<string, unknown>;
    for (const key in record) {
      if (!hasOwnProperty.call(record, key)) continue;
      if (key.length > limits.stringLength) throw overLimit('request_too_large', 'A JSON key length', limits.stringLength, 'string_length');
      values.push(record[key]);
      depths.push(depth + 1);
      keys++;
    }
  }
  return keys;
}

/** Checks a model name's length before it is looked up, echoed or logged. */
export function checkModelName(model: string, limits: InputLimits): void {
  if (model.length > limits.modelNameLength) throw overLimit('invalid_request', 'Model name length', limits.modelNameLength, 'model_name_length', 'model');
}

/** Checks a decoded request's counts: model name length, messages, tools and parts per message. */
export function checkRequestLimits(request: CanonicalRequest, limits: InputLimits): void {
  checkModelName(request.model, limits);
  if (request.messages.length > limits.messages) throw overLimit('request_too_large', 'Message count', limits.messages, 'messages', 'messages');
  if ((request.tools?.length ?? 0) > limits.tools) throw overLimit('request_too_large', 'Tool count', limits.tools, 'tools', 'tools');
  request.messages.forEach((message, index) => {
    if (message.content.length > limits.partsPerMessage) {
      throw overLimit('request_too_large', `Content part count of message ${index}`, limits.partsPerMessage, 'parts_per_message', `messages[${index}].content`);
    }
  });
}
