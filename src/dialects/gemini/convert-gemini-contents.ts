import {
  GatewayError,
  type AssistantPart,
  type ImagePart,
  type Message,
  type ProviderMetadata,
  type ToolResultPart,
  type UserPart,
} from '../../core/index.js';
import type { GeminiContent, GeminiPart, GeminiRequestBody } from '../../wire/gemini/gemini-request-schema.js';

/** Call ids of function calls not yet answered, per function name, oldest first. */
type PendingCalls = Map<string, string[]>;

function unsupportedPart(part: GeminiPart, path: string): GatewayError {
  const fields = Object.keys(part).filter((key) => key !== 'thoughtSignature' && key !== 'thought');
  const what = fields.length > 0 ? `parts with ${fields.join(', ')}` : 'empty parts';
  return new GatewayError('unsupported_parameter', `${path}: ${what} are not supported`, { param: path });
}

function misplacedPart(field: string, role: string, path: string): GatewayError {
  return new GatewayError('invalid_request', `${path}.${field}: not allowed in a ${role} content`, {
    param: `${path}.${field}`,
  });
}

function signatureMetadata(part: GeminiPart): ProviderMetadata | undefined {
  return part.thoughtSignature === undefined ? undefined : { gemini: { thoughtSignature: part.thoughtSignature } };
}

function requireImage(mimeType: string | undefined, path: string): void {
  if (mimeType === undefined || mimeType.startsWith('image/')) return;
  throw new GatewayError('unsupported_parameter', `${path}: only image media is supported, got "${mimeType}"`, {
    param: path,
  });
}

function toImagePart(part: GeminiPart, path: string): ImagePart | undefined {
  if (part.inlineData) {
    requireImage(part.inlineData.mimeType, `${path}.inlineData.mimeType`);
    return { type: 'image', source: { kind: 'base64', mediaType: part.inlineData.mimeType, data: part.inlineData.data } };
  }
  if (part.fileData) {
    requireImage(part.fileData.mimeType, `${path}.fileData.mimeType`);
    return { type: 'image', source: { kind: 'url', url: part.fileData.fileUri } };
  }
  return undefined;
}

function toAssistantPart(part: GeminiPart, path: string, callId: string, pending: PendingCalls): AssistantPart | undefined {
  const providerMetadata = signatureMetadata(part);
  if (part.functionCall) {
    const { name, args } = part.functionCall;
    pending.set(name, [...(pending.get(name) ?? []), callId]);
    const call: AssistantPart = { type: 'tool-call', callId, name, arguments: JSON.stringify(args ?? {}) };
    if (providerMetadata) call.providerMetadata = providerMetadata;
    return call;
  }
  if (part.functionResponse) throw misplacedPart('functionResponse', 'model', path);
  if (part.text === undefined) throw unsupportedPart(part, path);
  if (part.thought === true) {
    const reasoning: AssistantPart = { type: 'reasoning', text: part.text };
    if (providerMetadata) reasoning.providerMetadata = providerMetadata;
    return reasoning;
  }
  // An empty text part only carries a trailing thoughtSignature, which text parts have no place for canonically.
  return part.text === '' ? undefined : { type: 'text', text: part.text };
}

function takePendingCall(pending: PendingCalls, name: string, id: string | undefined): string | undefined {
  const queue = pending.get(name) ?? [];
  const index = id === undefined ? 0 : queue.indexOf(id);
  if (index >= 0 && index < queue.length) return queue.splice(index, 1)[0];
  return undefined;
}

function toToolResult(part: GeminiPart, fallbackId: string, pending: PendingCalls): ToolResultPart | undefined {
  if (!part.functionResponse) return undefined;
  const { name, response = {}, id } = part.functionResponse;
  const callId = takePendingCall(pending, name, id) ?? id ?? fallbackId;
  const result: ToolResultPart = {
    type: 'tool-result',
    callId,
    name,
    content: [{ type: 'text', text: JSON.stringify(response) }],
  };
  // js-genai: an "error" key without "output" reports a failed call.
  if ('error' in response && !('output' in response)) result.isError = true;
  return result;
}

function convertUserContent(content: GeminiContent, ci: number, pending: PendingCalls): Message[] {
  const results: ToolResultPart[] = [];
  const rest: UserPart[] = [];
  content.parts.forEach((part, pi) => {
    const path = `contents[${ci}].parts[${pi}]`;
    if (part.functionCall) throw misplacedPart('functionCall', 'user', path);
    const result = toToolResult(part, `call_${ci}_${pi}`, pending);
    const image = result ? undefined : toImagePart(part, path);
    if (result) results.push(result);
    else if (image) rest.push(image);
    else if (part.text !== undefined) rest.push({ type: 'text', text: part.text });
    else throw unsupportedPart(part, path);
  });
  const messages: Message[] = [];
  if (results.length > 0) messages.push({ role: 'tool', content: results });
  if (rest.length > 0 || results.length === 0) messages.push({ role: 'user', content: rest });
  return messages;
}

function convertModelContent(content: GeminiContent, ci: number, pending: PendingCalls): Message {
  const parts: AssistantPart[] = [];
  content.parts.forEach((part, pi) => {
    const path = `contents[${ci}].parts[${pi}]`;
    if (part.inlineData || part.fileData) throw unsupportedPart(part, path);
    const converted = toAssistantPart(part, path, part.functionCall?.id ?? `call_${ci}_${pi}`, pending);
    if (converted) parts.push(converted);
  });
  return { role: 'assistant', content: parts };
}

function convertSystemInstruction(instruction: NonNullable<GeminiRequestBody['systemInstruction']>): Message | undefined {
  const content = instruction.parts.map((part, pi) => {
    if (part.text === undefined) throw unsupportedPart(part, `systemInstruction.parts[${pi}]`);
    return { type: 'text' as const, text: part.text };
  });
  return content.length > 0 ? { role: 'system', content } : undefined;
}

/**
 * Converts `systemInstruction` and `contents` into canonical messages. Function calls without an id get
 * `call_<contentIndex>_<partIndex>`; function responses without one take the oldest unanswered call of that name.
 * A user content's function responses become one `tool` message placed before the rest of that content.
 */
export function toCanonicalMessages(
  systemInstruction: GeminiRequestBody['systemInstruction'],
  contents: GeminiContent[],
): Message[] {
  const out: Message[] = [];
  const system = systemInstruction ? convertSystemInstruction(systemInstruction) : undefined;
  if (system) out.push(system);
  const pending: PendingCalls = new Map();
  contents.forEach((content, ci) => {
    if (content.role === 'model') out.push(convertModelContent(content, ci, pending));
    else out.push(...convertUserContent(content, ci, pending));
  });
  return out;
}
