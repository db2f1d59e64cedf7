import type { ScriptToolCall, ScriptUsage } from './fake-types.js';

/** What the fake needs to know about an incoming request to shape its reply like the real API would. */
export interface RequestShape {
  model: string;
  stream: boolean;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
  /** OpenAI `stream_options.include_obfuscation` (on unless set to false). */
  includeObfuscation: boolean;
}

/** A request shape plus the request's 1-based sequence number on its server, the seed for deterministic ids. */
export interface ResponseContext extends RequestShape {
  seq: number;
}

/** One SSE event as bytes; `delta` marks model output (what delays, chunk counts and truncation apply to). */
export interface Frame {
  bytes: string;
  delta: boolean;
}

export interface TextReply {
  chunks: string[];
  reasoning?: string;
  usage: ScriptUsage;
  finish: 'stop' | 'length';
  /** Leave out every end-of-message marker that rides on a delta (Gemini's finishReason), for truncated streams. */
  open: boolean;
}

export interface ToolCallsReply {
  calls: ScriptToolCall[];
  text?: string;
  usage: ScriptUsage;
  argumentChunks: number;
}

export interface ErrorReply {
  headers: Record<string, string>;
  body: string;
}

/** Everything provider-specific about a fake: request reading, bodies, stream frames and errors. */
export interface WireFormat {
  readRequest(path: string, body: unknown): RequestShape;
  jsonHeaders(ctx: ResponseContext): Record<string, string>;
  streamHeaders(ctx: ResponseContext): Record<string, string>;
  textBody(reply: TextReply, ctx: ResponseContext): string;
  textStream(reply: TextReply, ctx: ResponseContext): Frame[];
  toolCallsBody(reply: ToolCallsReply, ctx: ResponseContext): string;
  toolCallsStream(reply: ToolCallsReply, ctx: ResponseContext): Frame[];
  /** The error response for `status`; `body` overrides the default (strings are sent verbatim). */
  errorReply(status: number, body: unknown, ctx: ResponseContext): ErrorReply;
  /** The provider's in-band error event, sent after some deltas on an HTTP 200 stream. */
  inBandError(ctx: ResponseContext): string;
  /** `data` framed as one event of this provider's SSE dialect. */
  frame(data: string): string;
}

/** A deterministic id: `prefix` then the sequence numbers, zero-padded to `length` characters after the prefix. */
export function fakeId(prefix: string, length: number, ...numbers: number[]): string {
  return `${prefix}fake${numbers.join('x').padStart(length - 4, '0')}`;
}
