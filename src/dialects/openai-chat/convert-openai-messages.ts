import {
  GatewayError,
  type AssistantPart,
  type ImagePart,
  type Message,
  type TextPart,
  type UserPart,
} from '../../core/index.js';
import { imageFromUrl } from '../shared/image-from-url.js';
import type { OpenAIMessage } from '../../wire/openai-chat/openai-chat-request-schema.js';

type UserMessage = Extract<OpenAIMessage, { role: 'user' }>;
type AssistantMessage = Extract<OpenAIMessage, { role: 'assistant' }>;
type ImageUrlPart = Extract<Exclude<UserMessage['content'], string>[number], { type: 'image_url' }>;

function unsupported(message: string, param: string): GatewayError {
  return new GatewayError('unsupported_parameter', message, { param });
}

function toTextParts(content: string | ReadonlyArray<{ text: string }>): TextPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part) => ({ type: 'text', text: part.text }));
}

function toImagePart(part: ImageUrlPart, path: string): ImagePart {
  const { url, detail } = part.image_url;
  const image = imageFromUrl(url, `${path}.image_url.url`);
  if (detail) image.detail = detail;
  return image;
}

function toUserParts(content: UserMessage['content'], path: string): UserPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, i): UserPart => {
    const partPath = `${path}.content[${i}]`;
    switch (part.type) {
      case 'text':
        return { type: 'text', text: part.text };
      case 'image_url':
        return toImagePart(part, partPath);
      default:
        throw unsupported(`Unsupported content part at ${partPath}: ${part.type} parts are not supported`, partPath);
    }
  });
}

function toAssistantParts(message: AssistantMessage, path: string, toolNames: Map<string, string>): AssistantPart[] {
  const parts: AssistantPart[] = [];
  if (message.reasoning_content) parts.push({ type: 'reasoning', text: message.reasoning_content });
  const { content } = message;
  if (typeof content === 'string') {
    if (content !== '') parts.push({ type: 'text', text: content });
  } else if (content) {
    // Refusal parts describe an earlier refusal for OpenAI's own bookkeeping; no other format can carry them.
    for (const part of content) if (part.type === 'text' && part.text !== '') parts.push({ type: 'text', text: part.text });
  }
  (message.tool_calls ?? []).forEach((call, j) => {
    if (call.type !== 'function') {
      const callPath = `${path}.tool_calls[${j}]`;
      throw unsupported(`Unsupported tool call at ${callPath}: custom tool calls are not supported`, callPath);
    }
    toolNames.set(call.id, call.function.name);
    parts.push({ type: 'tool-call', callId: call.id, name: call.function.name, arguments: call.function.arguments });
  });
  return parts;
}

/**
 * Converts OpenAI chat messages into canonical messages, in order. Tool results get their tool `name` from the
 * earlier assistant call with the same id, because Gemini needs the name and OpenAI tool messages lack it.
 */
export function convertOpenAIMessages(messages: ReadonlyArray<OpenAIMessage>): Message[] {
  const toolNames = new Map<string, string>();
  return messages.map((message, i): Message => {
    const path = `messages[${i}]`;
    switch (message.role) {
      case 'system':
        return { role: 'system', content: toTextParts(message.content) };
      case 'developer':
        return { role: 'system', content: toTextParts(message.content), developer: true };
      case 'user':
        return { role: 'user', content: toUserParts(message.content, path) };
      case 'assistant':
        return { role: 'assistant', content: toAssistantParts(message, path, toolNames) };
      case 'tool': {
        const name = toolNames.get(message.tool_call_id);
        return {
          role: 'tool',
          content: [
            {
              type: 'tool-result',
              callId: message.tool_call_id,
              ...(name === undefined ? {} : { name }),
              content: toTextParts(message.content),
            },
          ],
        };
      }
      case 'function':
        throw unsupported(
          `Unsupported role at ${path}.role: the deprecated "function" role is not supported; use "tool" messages`,
          `${path}.role`,
        );
    }
  });
}
