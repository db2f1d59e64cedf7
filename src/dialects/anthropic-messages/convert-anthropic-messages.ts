import {
  GatewayError,
  type AssistantPart,
  type CacheControl,
  type ImagePart,
  type Message,
  type TextPart,
  type ToolResultPart,
  type UserPart,
} from '../../core/index.js';
import type {
  AnthropicCacheControl,
  AnthropicContentBlock,
  AnthropicImageBlock,
  AnthropicMessageParam,
  AnthropicRequestBody,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from '../../wire/anthropic-messages/anthropic-request-schema.js';

function toCacheControl(value: AnthropicCacheControl): CacheControl | undefined {
  if (!value) return undefined;
  return value.ttl === undefined ? { type: 'ephemeral' } : { type: 'ephemeral', ttl: value.ttl };
}

function toTextPart(block: AnthropicTextBlock): TextPart {
  const part: TextPart = { type: 'text', text: block.text };
  const cacheControl = toCacheControl(block.cache_control);
  if (cacheControl) part.cacheControl = cacheControl;
  return part;
}

function toImagePart(block: AnthropicImageBlock, path: string): ImagePart {
  const { source } = block;
  if (source.type === 'file') {
    throw new GatewayError('unsupported_parameter', `${path}.source: file sources are not supported by this gateway`, {
      param: `${path}.source`,
    });
  }
  const part: ImagePart = {
    type: 'image',
    source:
      source.type === 'url'
        ? { kind: 'url', url: source.url }
        : { kind: 'base64', mediaType: source.media_type, data: source.data },
  };
  const cacheControl = toCacheControl(block.cache_control);
  if (cacheControl) part.cacheControl = cacheControl;
  return part;
}

function textOrBlocks<T>(content: string | T[]): Array<T | AnthropicTextBlock> {
  return typeof content === 'string' ? [{ type: 'text', text: content }] : content;
}

function unsupportedBlock(type: string, path: string): GatewayError {
  return new GatewayError('unsupported_parameter', `${path}: content blocks of type "${type}" are not supported`, {
    param: path,
  });
}

function misplacedBlock(type: string, role: string, path: string): GatewayError {
  return new GatewayError('invalid_request', `${path}: a "${type}" block is not allowed in a ${role} message`, {
    param: path,
  });
}

/**
 * A tool search result (Claude Code's ToolSearch returns these) names a deferred tool it loaded. Other providers get
 * every tool up front, so the reference only needs to read as what it says.
 */
function toolReferenceText(block: Record<string, unknown>): string {
  return typeof block.tool_name === 'string' ? `Tool ${block.tool_name} is loaded and can be called.` : 'A tool was loaded.';
}

function toToolResultPart(block: AnthropicToolResultBlock, path: string, callNames: Map<string, string>): ToolResultPart {
  const content: Array<TextPart | ImagePart> = [];
  textOrBlocks(block.content ?? []).forEach((inner, k) => {
    const innerPath = `${path}.content[${k}]`;
    if (inner.type === 'text') content.push(toTextPart(inner));
    else if (inner.type === 'image') content.push(toImagePart(inner, innerPath));
    else if (inner.type === 'tool_reference') content.push({ type: 'text', text: toolReferenceText(inner) });
    else throw unsupportedBlock(inner.type, innerPath);
  });
  const part: ToolResultPart = { type: 'tool-result', callId: block.tool_use_id, content };
  const name = callNames.get(block.tool_use_id);
  if (name !== undefined) part.name = name;
  if (block.is_error !== undefined) part.isError = block.is_error;
  const cacheControl = toCacheControl(block.cache_control);
  if (cacheControl) part.cacheControl = cacheControl;
  return part;
}

/** A user turn: its tool results become one `tool` message placed before the rest of the turn. */
function convertUserTurn(blocks: AnthropicContentBlock[], path: string, callNames: Map<string, string>): Message[] {
  const results: ToolResultPart[] = [];
  const rest: UserPart[] = [];
  blocks.forEach((block, j) => {
    const blockPath = `${path}.content[${j}]`;
    switch (block.type) {
      case 'tool_result':
        results.push(toToolResultPart(block, blockPath, callNames));
        return;
      case 'text':
        rest.push(toTextPart(block));
        return;
      case 'image':
        rest.push(toImagePart(block, blockPath));
        return;
      case 'tool_use':
      case 'thinking':
      case 'redacted_thinking':
        throw misplacedBlock(block.type, 'user', blockPath);
      default:
        throw unsupportedBlock(block.type, blockPath);
    }
  });
  const messages: Message[] = [];
  if (results.length > 0) messages.push({ role: 'tool', content: results });
  if (rest.length > 0 || results.length === 0) messages.push({ role: 'user', content: rest });
  return messages;
}

function convertAssistantTurn(blocks: AnthropicContentBlock[], path: string, callNames: Map<string, string>): Message {
  const content: AssistantPart[] = [];
  blocks.forEach((block, j) => {
    const blockPath = `${path}.content[${j}]`;
    switch (block.type) {
      case 'text':
        content.push(toTextPart(block));
        return;
      case 'thinking':
        content.push({ type: 'reasoning', text: block.thinking, signature: block.signature });
        return;
      case 'redacted_thinking':
        content.push({ type: 'reasoning', text: '', redactedData: block.data });
        return;
      case 'tool_use': {
        callNames.set(block.id, block.name);
        const part: AssistantPart = {
          type: 'tool-call',
          callId: block.id,
          name: block.name,
          arguments: JSON.stringify(block.input),
        };
        const cacheControl = toCacheControl(block.cache_control);
        if (cacheControl) part.providerMetadata = { anthropic: { cacheControl } };
        content.push(part);
        return;
      }
      case 'tool_result':
      case 'image':
        throw misplacedBlock(block.type, 'assistant', blockPath);
      default:
        throw unsupportedBlock(block.type, blockPath);
    }
  });
  return { role: 'assistant', content };
}

/**
 * A `role: "system"` message, accepted under every API version: Claude Code sends them under 2023-06-01 too. Each
 * provider places it where its API allows (in place, or folded into the system prompt in order).
 */
function convertSystemTurn(message: AnthropicMessageParam, path: string): Message {
  const content = textOrBlocks(message.content).map((block, j) => {
    if (block.type !== 'text') throw misplacedBlock(block.type, 'system', `${path}.content[${j}]`);
    return toTextPart(block);
  });
  return { role: 'system', content };
}

/** Converts the top-level `system` and `messages` into canonical messages, system first, tool results regrouped. */
export function toCanonicalMessages(system: AnthropicRequestBody['system'], messages: AnthropicMessageParam[]): Message[] {
  const out: Message[] = [];
  if (system !== undefined && system !== '') {
    out.push({ role: 'system', content: textOrBlocks(system).map(toTextPart) });
  }
  const callNames = new Map<string, string>();
  messages.forEach((message, i) => {
    const path = `messages[${i}]`;
    if (message.role === 'system') out.push(convertSystemTurn(message, path));
    else if (message.role === 'assistant') out.push(convertAssistantTurn(textOrBlocks(message.content), path, callNames));
    else out.push(...convertUserTurn(textOrBlocks(message.content), path, callNames));
  });
  return out;
}
