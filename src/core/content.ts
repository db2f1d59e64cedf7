/** Anthropic-style prompt-caching marker, kept on the part it came with so translators can pass it through. */
export interface CacheControl {
  type: 'ephemeral';
  ttl?: '5m' | '1h';
}

export interface TextPart {
  type: 'text';
  text: string;
  cacheControl?: CacheControl;
}

/** An image as a URL (https) or inline base64 data; data URLs are decoded into `base64` by the dialects. */
export type ImageSource =
  | { kind: 'url'; url: string }
  | { kind: 'base64'; mediaType: string; data: string };

export interface ImagePart {
  type: 'image';
  source: ImageSource;
  detail?: 'auto' | 'low' | 'high';
  cacheControl?: CacheControl;
}

/**
 * A tool call made by the assistant. `arguments` is the JSON text exactly as produced (OpenAI semantics: may be
 * empty or fragmentary); translators that need an object parse it, treating "" as {}.
 */
export interface ToolCallPart {
  type: 'tool-call';
  callId: string;
  name: string;
  arguments: string;
  /** Provider-specific data that must be replayed on the next turn (e.g. Gemini `thoughtSignature`). */
  providerMetadata?: ProviderMetadata;
}

export interface ToolResultPart {
  type: 'tool-result';
  callId: string;
  /** Tool name when known (Gemini needs it; dialects fill it from the matching earlier tool call). */
  name?: string;
  content: Array<TextPart | ImagePart>;
  isError?: boolean;
  cacheControl?: CacheControl;
}

/** Model reasoning ("thinking"). `signature` and `redactedData` must be replayed unmodified to the same provider. */
export interface ReasoningPart {
  type: 'reasoning';
  text: string;
  signature?: string;
  /** Anthropic `redacted_thinking` payload; `text` is empty when set. */
  redactedData?: string;
  providerMetadata?: ProviderMetadata;
}

/** Data keyed by provider format (`anthropic`, `gemini`, `openai`) that only that provider understands. */
export type ProviderMetadata = Record<string, Record<string, unknown>>;

export type SystemPart = TextPart;
export type UserPart = TextPart | ImagePart;
export type AssistantPart = TextPart | ReasoningPart | ToolCallPart;

/**
 * Conversation turns. `system` covers OpenAI system/developer, Anthropic top-level `system` and `role: system`
 * entries, and Gemini `systemInstruction`; it keeps its position so same-format pass-through preserves order.
 * `tool` holds the results of earlier tool calls (one OpenAI `tool` message, or the `tool_result` blocks at the
 * head of an Anthropic user turn, or Gemini `functionResponse` parts).
 */
export type Message =
  | { role: 'system'; content: SystemPart[]; developer?: boolean }
  | { role: 'user'; content: UserPart[] }
  | { role: 'assistant'; content: AssistantPart[] }
  | { role: 'tool'; content: ToolResultPart[] };

/** Parses tool-call argument text into an object; "" becomes {}; invalid JSON or non-objects become undefined. */
export function parseToolArguments(text: string): Record<string, unknown> | undefined {
  if (text.trim() === '') return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Splits a `data:` URL into media type and base64 payload; undefined for anything else. */
export function parseDataUrl(url: string): { mediaType: string; data: string } | undefined {
  const match = /^data:([^;,]+);base64,(.*)$/s.exec(url);
  if (!match) return undefined;
  return { mediaType: match[1] as string, data: match[2] as string };
}

/** Concatenates the text parts of a content list. */
export function joinText(parts: ReadonlyArray<{ type: string; text?: string }>): string {
  let out = '';
  for (const part of parts) if (part.type === 'text' && part.text !== undefined) out += part.text;
  return out;
}
