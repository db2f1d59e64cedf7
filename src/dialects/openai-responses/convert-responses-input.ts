import {
  GatewayError,
  droppedParameter,
  type AssistantPart,
  type ImagePart,
  type Message,
  type TextPart,
  type ToolResultPart,
  type UserPart,
  type Warning,
} from '../../core/index.js';
import type { ResponsesContentPart, ResponsesInputItem } from '../../wire/openai-responses/openai-responses-request-schema.js';
import { imageFromUrl } from '../shared/image-from-url.js';
import { namespacedToolName } from './namespaced-tool-name.js';

/** What converting the input produced: the messages and the warnings for what was dropped. */
export interface ConvertedInput {
  messages: Message[];
  warnings: Warning[];
}

function unsupported(message: string, param: string): GatewayError {
  return new GatewayError('unsupported_parameter', message, { param });
}

function toImagePart(part: Extract<ResponsesContentPart, { type: 'input_image' }>, path: string): ImagePart {
  const url = part.image_url;
  if (url == null) throw unsupported(`Unsupported content part at ${path}: input_image needs image_url (file_id is not supported)`, path);
  const image = imageFromUrl(url, `${path}.image_url`);
  // The SDK's type makes `detail` required, so `auto` (the default) is what every client sends: kept only when it says more.
  if (part.detail === 'low' || part.detail === 'high') image.detail = part.detail;
  return image;
}

function toUserParts(content: string | ResponsesContentPart[], path: string): UserPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.map((part, i): UserPart => {
    const partPath = `${path}.content[${i}]`;
    if ((part.type === 'input_text' || part.type === 'output_text') && 'text' in part && typeof part.text === 'string') {
      return { type: 'text', text: part.text };
    }
    if (part.type === 'input_image') return toImagePart(part as Extract<ResponsesContentPart, { type: 'input_image' }>, partPath);
    throw unsupported(`Unsupported content part at ${partPath}: ${part.type} parts are not supported`, partPath);
  });
}

function toTextParts(content: string | ResponsesContentPart[], path: string): TextPart[] {
  return toUserParts(content, path).map((part, i) => {
    if (part.type !== 'text') throw unsupported(`Unsupported content part at ${path}.content[${i}]: only text is allowed here`, `${path}.content[${i}]`);
    return part;
  });
}

/**
 * Builds canonical messages from Responses input items, in order. Consecutive assistant-side items (reasoning,
 * assistant messages, function calls) form one assistant turn and consecutive `function_call_output` items one tool
 * turn, as the other formats expect. Encrypted reasoning cannot be verified by any provider but the one that made it,
 * so it is dropped with a warning, never sent.
 */
export function convertResponsesInput(input: string | ResponsesInputItem[], instructions: string | undefined): ConvertedInput {
  const messages: Message[] = [];
  const warnings: Warning[] = [];
  const toolNames = new Map<string, string>();
  if (instructions !== undefined && instructions !== '') messages.push({ role: 'system', content: [{ type: 'text', text: instructions }] });
  if (typeof input === 'string') {
    messages.push({ role: 'user', content: [{ type: 'text', text: input }] });
    return { messages, warnings };
  }
  const assistantTurn = (): AssistantPart[] => {
    const last = messages.at(-1);
    if (last?.role === 'assistant') return last.content;
    const turn: Message = { role: 'assistant', content: [] };
    messages.push(turn);
    return turn.content;
  };
  const toolTurn = (): ToolResultPart[] => {
    const last = messages.at(-1);
    if (last?.role === 'tool') return last.content;
    const turn: Message = { role: 'tool', content: [] };
    messages.push(turn);
    return turn.content;
  };
  input.forEach((item, i) => {
    const path = `input[${i}]`;
    const type = item.type ?? 'message';
    if (type === 'message' && 'role' in item) {
      const message = item as Extract<ResponsesInputItem, { role: string }>;
      switch (message.role) {
        case 'system':
          messages.push({ role: 'system', content: toTextParts(message.content, path) });
          return;
        case 'developer':
          messages.push({ role: 'system', content: toTextParts(message.content, path), developer: true });
          return;
        case 'user':
          messages.push({ role: 'user', content: toUserParts(message.content, path) });
          return;
        case 'assistant':
          for (const part of toTextParts(message.content, path)) if (part.text !== '') assistantTurn().push(part);
          return;
      }
    }
    if (type === 'function_call') {
      const call = item as Extract<ResponsesInputItem, { type: 'function_call' }>;
      const name = namespacedToolName(call.namespace ?? undefined, call.name);
      toolNames.set(call.call_id, name);
      assistantTurn().push({ type: 'tool-call', callId: call.call_id, name, arguments: call.arguments });
      return;
    }
    if (type === 'function_call_output') {
      const output = item as Extract<ResponsesInputItem, { type: 'function_call_output' }>;
      const name = toolNames.get(output.call_id);
      toolTurn().push({
        type: 'tool-result',
        callId: output.call_id,
        ...(name === undefined ? {} : { name }),
        content: toUserParts(output.output, path),
      });
      return;
    }
    if (type === 'reasoning') {
      const reasoning = item as Extract<ResponsesInputItem, { type: 'reasoning' }>;
      if (reasoning.encrypted_content != null) {
        warnings.push(droppedParameter(`${path}.encrypted_content`, 'this gateway', 'encrypted reasoning can only be verified by the provider that produced it'));
      }
      const text = [...(reasoning.content ?? []), ...(reasoning.summary ?? [])].map((part) => part.text).join('\n');
      if (text !== '') assistantTurn().push({ type: 'reasoning', text });
      return;
    }
    if (type === 'item_reference') {
      throw unsupported(`Unsupported input item at ${path}: item_reference needs stored responses, which are not supported`, path);
    }
    warnings.push(droppedParameter(path, 'every provider', `${type} items have no equivalent outside OpenAI`));
  });
  return { messages, warnings };
}
