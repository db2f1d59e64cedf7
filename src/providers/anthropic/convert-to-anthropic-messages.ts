import { GatewayError, parseToolArguments } from '../../core/index.js';
import type {
  AssistantPart,
  CacheControl,
  ImagePart,
  Message,
  TextPart,
  ToolResultPart,
  UserPart,
} from '../../core/index.js';
import type {
  AnthropicCacheControl,
  AnthropicImageBlock,
  AnthropicImageMediaType,
  AnthropicContentBlock,
  AnthropicMessageParam,
  AnthropicTextBlock,
  AnthropicToolResultBlock,
} from '../../wire/anthropic-messages/anthropic-request-schema.js';

/** The canonical conversation split the way Anthropic wants it: top-level system blocks and alternating turns. */
export interface AnthropicPrompt {
  system: AnthropicTextBlock[];
  messages: AnthropicMessageParam[];
}

interface Turn {
  role: 'user' | 'assistant';
  /** `tool_result` blocks, which must open the user turn that follows a `tool_use` turn. */
  results: AnthropicToolResultBlock[];
  blocks: AnthropicContentBlock[];
}

function withCacheControl<T extends object>(
  block: T,
  cacheControl: CacheControl | undefined,
): T & { cache_control?: AnthropicCacheControl } {
  return cacheControl ? { ...block, cache_control: { ...cacheControl } } : block;
}

// Anthropic rejects empty text blocks ("text content blocks must be non-empty"), so they are never built.
function toTextBlock(part: TextPart): AnthropicTextBlock | undefined {
  if (part.text === '') return undefined;
  const block: AnthropicTextBlock = { type: 'text', text: part.text };
  return withCacheControl(block, part.cacheControl);
}

function toImageBlock(part: ImagePart): AnthropicImageBlock {
  const source: AnthropicImageBlock['source'] =
    part.source.kind === 'base64'
      ? // Other media types go upstream as given: Anthropic's own 400 names them, as it always has.
        { type: 'base64', media_type: part.source.mediaType as AnthropicImageMediaType, data: part.source.data }
      : { type: 'url', url: part.source.url };
  return withCacheControl({ type: 'image', source }, part.cacheControl);
}

function toUserBlock(part: UserPart): AnthropicTextBlock | AnthropicImageBlock | undefined {
  return part.type === 'text' ? toTextBlock(part) : toImageBlock(part);
}

function toToolResultBlock(part: ToolResultPart): AnthropicToolResultBlock {
  const content = part.content.flatMap((item) => toUserBlock(item) ?? []);
  const block: AnthropicToolResultBlock = { type: 'tool_result', tool_use_id: part.callId };
  if (content.length > 0) block.content = content;
  if (part.isError) block.is_error = true;
  return withCacheControl(block, part.cacheControl);
}

function toAssistantBlock(part: AssistantPart, path: string): AnthropicContentBlock | undefined {
  switch (part.type) {
    case 'text':
      return toTextBlock(part);
    case 'reasoning':
      // Only Anthropic-signed reasoning can be replayed; reasoning from other providers has no signature and is dropped.
      if (part.redactedData !== undefined) return { type: 'redacted_thinking', data: part.redactedData };
      if (part.signature !== undefined) return { type: 'thinking', thinking: part.text, signature: part.signature };
      return undefined;
    case 'tool-call': {
      const input = parseToolArguments(part.arguments);
      if (input === undefined) {
        throw new GatewayError('invalid_request', `${path}.arguments must be a JSON object to send it to Anthropic`, {
          param: `${path}.arguments`,
        });
      }
      return { type: 'tool_use', id: part.callId, name: part.name, input };
    }
  }
}

/**
 * Converts canonical messages: system (and developer) text becomes top-level `system` blocks; tool results become
 * `tool_result` blocks at the start of the following user turn; consecutive same-role turns merge into one; empty
 * text and unsigned reasoning are left out. Throws GatewayError('invalid_request') for unparseable tool arguments.
 */
export function convertToAnthropicMessages(messages: readonly Message[]): AnthropicPrompt {
  const system: AnthropicTextBlock[] = [];
  const turns: Turn[] = [];
  const turnFor = (role: Turn['role']): Turn => {
    const last = turns.at(-1);
    if (last?.role === role) return last;
    const turn: Turn = { role, results: [], blocks: [] };
    turns.push(turn);
    return turn;
  };

  messages.forEach((message, i) => {
    switch (message.role) {
      case 'system':
        for (const part of message.content) {
          const block = toTextBlock(part);
          if (block) system.push(block);
        }
        return;
      case 'user':
        for (const part of message.content) {
          const block = toUserBlock(part);
          if (block) turnFor('user').blocks.push(block);
        }
        return;
      case 'tool':
        for (const part of message.content) turnFor('user').results.push(toToolResultBlock(part));
        return;
      case 'assistant':
        message.content.forEach((part, j) => {
          const block = toAssistantBlock(part, `messages[${i}].content[${j}]`);
          if (block) turnFor('assistant').blocks.push(block);
        });
        return;
    }
  });

  return {
    system,
    messages: turns.map((turn) => ({ role: turn.role, content: [...turn.results, ...turn.blocks] })),
  };
}
