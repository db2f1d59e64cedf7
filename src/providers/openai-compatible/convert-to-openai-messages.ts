import type { AssistantPart, ImagePart, Message, ToolResultPart, UserPart, Warning } from '../../core/index.js';
import { droppedParameter } from '../../core/index.js';
import type { OpenAIFamilyQuirks } from './openai-family-quirks.js';
import type { OpenAIContentPart, OpenAIMessage, OpenAIToolCall, OpenAIToolMessage } from '../../wire/openai-chat/openai-chat-request-schema.js';
import { toMistralToolCallId } from './to-mistral-tool-call-id.js';

interface Converted {
  messages: OpenAIMessage[];
  warnings: Warning[];
}

/** Rebuilds an image as the `url` OpenAI expects: the https URL, or a data URL from inline base64. */
function toOpenAIImageUrl(image: ImagePart): string {
  return image.source.kind === 'url' ? image.source.url : `data:${image.source.mediaType};base64,${image.source.data}`;
}

function convertUserContent(parts: UserPart[]): string | OpenAIContentPart[] {
  const [only] = parts;
  if (parts.length === 1 && only?.type === 'text') return only.text;
  return parts.map((part): OpenAIContentPart => {
    if (part.type === 'text') return { type: 'text', text: part.text };
    const imageUrl: { url: string; detail?: ImagePart['detail'] } = { url: toOpenAIImageUrl(part) };
    if (part.detail !== undefined) imageUrl.detail = part.detail;
    return { type: 'image_url', image_url: imageUrl };
  });
}

function convertAssistant(
  parts: AssistantPart[],
  path: string,
  quirks: OpenAIFamilyQuirks,
  warnings: Warning[],
): OpenAIMessage {
  let text = '';
  let reasoning = '';
  const toolCalls: OpenAIToolCall[] = [];
  parts.forEach((part, j) => {
    if (part.type === 'text') text += part.text;
    else if (part.type === 'tool-call') {
      const id = quirks.mistralTools ? toMistralToolCallId(part.callId) : part.callId;
      toolCalls.push({ id, type: 'function', function: { name: part.name, arguments: part.arguments } });
    } else if (quirks.replaysReasoningContent) reasoning += part.text;
    else if (part.text !== '') {
      warnings.push(droppedParameter(`${path}.content[${j}]`, quirks.type, 'assistant reasoning cannot be replayed'));
    }
  });
  const message: OpenAIMessage = { role: 'assistant' };
  // The recorded OpenAI round trip omits `content` on a pure tool-call turn; an empty turn still needs a string.
  if (text !== '' || toolCalls.length === 0) message.content = text;
  if (toolCalls.length > 0) message.tool_calls = toolCalls;
  if (reasoning !== '') message.reasoning_content = reasoning;
  return message;
}

function convertToolResult(
  part: ToolResultPart,
  path: string,
  quirks: OpenAIFamilyQuirks,
  warnings: Warning[],
): OpenAIMessage {
  let text = '';
  part.content.forEach((inner, k) => {
    if (inner.type === 'text') text += inner.text;
    else warnings.push(droppedParameter(`${path}.content[${k}]`, quirks.type, 'tool results carry text only'));
  });
  const callId = quirks.mistralTools ? toMistralToolCallId(part.callId) : part.callId;
  const message: OpenAIToolMessage = { role: 'tool', tool_call_id: callId, content: text };
  if (quirks.mistralTools && part.name !== undefined) message.name = part.name;
  return message;
}

/**
 * For vendors that take system text only at the start: every system message joins one leading system message, in
 * order, with a warning when one had to move.
 */
function foldSystemMessages(messages: Message[], warnings: Warning[]): Message[] {
  const firstOther = messages.findIndex((message) => message.role !== 'system');
  if (firstOther < 0 || !messages.slice(firstOther).some((message) => message.role === 'system')) return messages;
  const system = messages.filter((message) => message.role === 'system');
  warnings.push({
    code: 'parameter_translated',
    param: 'messages',
    message: 'system messages after the first turn were folded, in order, into the leading system message',
  });
  return [{ role: 'system', content: system.flatMap((message) => message.content) }, ...messages.filter((message) => message.role !== 'system')];
}

/** Converts canonical messages to OpenAI Chat messages for one vendor, collecting warnings for what is dropped. */
export function convertToOpenAIMessages(input: Message[], quirks: OpenAIFamilyQuirks): Converted {
  const out: OpenAIMessage[] = [];
  const warnings: Warning[] = [];
  const messages = quirks.systemMessagesAnywhere ? input : foldSystemMessages(input, warnings);
  messages.forEach((message, i) => {
    const path = `messages[${i}]`;
    switch (message.role) {
      case 'system':
        out.push({
          role: message.developer && quirks.supportsDeveloperRole ? 'developer' : 'system',
          content: message.content.map((part) => part.text).join('\n'),
        });
        return;
      case 'user':
        out.push({ role: 'user', content: convertUserContent(message.content) });
        return;
      case 'assistant':
        out.push(convertAssistant(message.content, path, quirks, warnings));
        return;
      case 'tool':
        message.content.forEach((part, j) => out.push(convertToolResult(part, `${path}.content[${j}]`, quirks, warnings)));
        return;
    }
  });
  return { messages: out, warnings };
}
