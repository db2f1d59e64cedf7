import { GatewayError, joinText, parseDataUrl, parseToolArguments } from '../../core/index.js';
import type { AssistantPart, ImagePart, Message, ToolResultPart, UserPart, Warning } from '../../core/index.js';
import type { GeminiContent, GeminiPart } from '../../wire/gemini/gemini-request-schema.js';

export interface GeminiContentsResult {
  contents: GeminiContent[];
  systemInstruction?: { parts: GeminiPart[] };
  warnings: Warning[];
}

interface CallInfo {
  name: string;
  /** The id Gemini itself gave the call, echoed on the matching `functionResponse`. */
  geminiId?: string;
}

const IMAGE_TYPES: Readonly<Record<string, string>> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
};

function geminiMetadata(part: { providerMetadata?: Record<string, Record<string, unknown>> }): Record<string, unknown> {
  return part.providerMetadata?.gemini ?? {};
}

function stringField(record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

function guessImageMimeType(url: string): string {
  const path = url.split(/[?#]/, 1)[0] ?? '';
  const extension = /\.([a-z0-9]+)$/i.exec(path)?.[1]?.toLowerCase();
  return (extension !== undefined ? IMAGE_TYPES[extension] : undefined) ?? 'image/jpeg';
}

function convertImage(part: ImagePart, param: string, warnings: Warning[]): GeminiPart {
  if (part.detail !== undefined && part.detail !== 'auto') {
    warnings.push({ code: 'parameter_dropped', param: `${param}.detail`, message: `${param}.detail dropped for gemini: no per-image detail setting` });
  }
  const source = part.source;
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  const inline = parseDataUrl(source.url);
  if (inline) return { inlineData: { mimeType: inline.mediaType, data: inline.data } };
  warnings.push({
    code: 'parameter_translated',
    param,
    message: `${param} sent as a Gemini fileData URI; Gemini fetches only some URLs (e.g. Files API, YouTube, public Cloud Storage)`,
  });
  return { fileData: { mimeType: guessImageMimeType(source.url), fileUri: source.url } };
}

function convertUserPart(part: UserPart, param: string, warnings: Warning[]): GeminiPart | undefined {
  if (part.type === 'text') return part.text === '' ? undefined : { text: part.text };
  return convertImage(part, param, warnings);
}

function convertAssistantPart(part: AssistantPart, param: string): GeminiPart | undefined {
  if (part.type === 'text') return part.text === '' ? undefined : { text: part.text };
  if (part.type === 'reasoning') {
    // Only Gemini's own signed thoughts can be replayed; reasoning from other providers is meaningless to it.
    const gemini = part.providerMetadata?.gemini;
    const signature = gemini === undefined ? undefined : (stringField(gemini, 'thoughtSignature') ?? part.signature);
    if (signature === undefined || part.text === '') return undefined;
    return { text: part.text, thought: true, thoughtSignature: signature };
  }
  const args = parseToolArguments(part.arguments);
  if (args === undefined) {
    throw new GatewayError('invalid_request', `${param}.arguments is not a JSON object; Gemini needs object arguments`, {
      param: `${param}.arguments`,
    });
  }
  const metadata = geminiMetadata(part);
  const id = stringField(metadata, 'id');
  const signature = stringField(metadata, 'thoughtSignature');
  const out: GeminiPart = { functionCall: { name: part.name, args, ...(id !== undefined && { id }) } };
  if (signature !== undefined) out.thoughtSignature = signature;
  return out;
}

function toolResponse(part: ToolResultPart): Record<string, unknown> {
  const text = joinText(part.content);
  if (part.isError === true) return { error: text };
  const parsed = parseToolArguments(text);
  return parsed !== undefined && text.trim() !== '' ? parsed : { output: text };
}

function convertToolResult(part: ToolResultPart, param: string, calls: Map<string, CallInfo>, warnings: Warning[]): GeminiPart {
  const call = calls.get(part.callId);
  const name = part.name ?? call?.name;
  if (name === undefined) {
    throw new GatewayError(
      'invalid_request',
      `${param} has no tool name and no earlier tool call with id ${JSON.stringify(part.callId)}; Gemini needs the name`,
      { param: `${param}.name` },
    );
  }
  if (part.content.some((item) => item.type === 'image')) {
    warnings.push({ code: 'parameter_dropped', param: `${param}.content`, message: `${param}.content images dropped for gemini: function responses carry JSON only` });
  }
  const id = call?.geminiId;
  return { functionResponse: { name, response: toolResponse(part), ...(id !== undefined && { id }) } };
}

function collectCalls(messages: Message[]): Map<string, CallInfo> {
  const calls = new Map<string, CallInfo>();
  for (const message of messages) {
    if (message.role !== 'assistant') continue;
    for (const part of message.content) {
      if (part.type !== 'tool-call') continue;
      const geminiId = stringField(geminiMetadata(part), 'id');
      calls.set(part.callId, { name: part.name, ...(geminiId !== undefined && { geminiId }) });
    }
  }
  return calls;
}

function append(contents: GeminiContent[], role: 'user' | 'model', parts: GeminiPart[]): void {
  if (parts.length === 0) return;
  const last = contents[contents.length - 1];
  if (last?.role === role) last.parts.push(...parts);
  else contents.push({ role, parts });
}

/**
 * Converts canonical messages into Gemini `contents` plus `systemInstruction`: system text is hoisted, assistant
 * turns become `model`, all tool results of a turn become one `user` content of `functionResponse` parts, and
 * consecutive same-role contents are merged (Gemini expects alternating turns).
 */
export function convertToGeminiContents(messages: Message[]): GeminiContentsResult {
  const warnings: Warning[] = [];
  const calls = collectCalls(messages);
  const contents: GeminiContent[] = [];
  const system: GeminiPart[] = [];
  let cacheControlSeen = false;

  messages.forEach((message, i) => {
    const base = `messages[${i}].content`;
    const parts: GeminiPart[] = [];
    message.content.forEach((part, j) => {
      const param = `${base}[${j}]`;
      if ('cacheControl' in part && part.cacheControl !== undefined) cacheControlSeen = true;
      let converted: GeminiPart | undefined;
      if (message.role === 'system') converted = part.type === 'text' && part.text !== '' ? { text: part.text } : undefined;
      else if (message.role === 'user') converted = convertUserPart(part as UserPart, param, warnings);
      else if (message.role === 'assistant') converted = convertAssistantPart(part as AssistantPart, param);
      else converted = convertToolResult(part as ToolResultPart, param, calls, warnings);
      if (converted !== undefined) parts.push(converted);
    });
    if (message.role === 'system') system.push(...parts);
    else append(contents, message.role === 'assistant' ? 'model' : 'user', parts);
  });

  if (cacheControlSeen) {
    warnings.push({
      code: 'parameter_dropped',
      param: 'cache_control',
      message: 'cache_control dropped for gemini: Gemini caches implicitly or through providerOptions.gemini.cachedContent',
    });
  }
  return { contents, ...(system.length > 0 && { systemInstruction: { parts: system } }), warnings };
}
