import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

/** The wire format a fake upstream speaks. */
export type FakeFormat = 'openai' | 'anthropic' | 'gemini';

/**
 * Token counts in the gateway's disjoint buckets (see src/core/usage.ts): `input` excludes cache reads and writes,
 * `output` excludes reasoning. Each fake converts them to its provider's fields, so decoding the response with the
 * matching adapter gives these numbers back (OpenAI and Gemini have no cache-write field: it is folded into input).
 */
export interface ScriptUsage {
  input: number;
  output: number;
  cacheRead?: number;
  cacheWrite?: number;
  reasoning?: number;
}

/** One tool call the fake emits. Gemini ignores `id`, like the real Developer API (its calls carry none). */
export interface ScriptToolCall {
  id?: string;
  name: string;
  arguments: Record<string, unknown>;
}

/** A successful text reply. `reasoning` becomes a thinking block / thought part / DeepSeek-style reasoning_content. */
export interface TextScript {
  kind: 'text';
  /** One delta per string when streaming; a single string is split into word chunks. */
  text: string | string[];
  usage?: ScriptUsage;
  finish?: 'stop' | 'length';
  reasoning?: string;
  /** Pause between deltas when streaming. */
  delayMs?: number;
  /** Pause before the first delta (streaming: after headers and preamble; non-streaming: before the response). */
  ttftMs?: number;
  /**
   * Streaming only: payloads sent after the stream's end marker (`[DONE]`, `message_stop`, the last chunk), each
   * framed as one event of the format (see WireFormat.frame), as an upstream that goes on after it ended does.
   */
  trailing?: string[];
}

/** A successful tool-call reply, optionally preceded by text. */
export interface ToolCallsScript {
  kind: 'tool-calls';
  calls: ScriptToolCall[];
  text?: string;
  usage?: ScriptUsage;
  /** Split each call's JSON arguments into this many fragments when streaming (OpenAI and Anthropic). */
  argumentChunks?: number;
  delayMs?: number;
  ttftMs?: number;
}

/** An HTTP error response; `body` defaults to the provider's recorded (or documented) body for `status`. */
export interface ErrorScript {
  kind: 'error';
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/**
 * Stream-shaped faults. On a non-streaming request they send 200 headers and the first half of the JSON body, then
 * destroy the socket (error-after-start), go silent (stall-after) or end the response cleanly (truncated-sse,
 * malformed-after-start).
 */
export interface ErrorAfterStartScript {
  kind: 'error-after-start';
  chunksBefore: number;
  text: string;
}

export interface StallAfterScript {
  kind: 'stall-after';
  chunks: number;
  text: string;
}

export interface TruncatedSseScript {
  kind: 'truncated-sse';
  chunks: number;
  text: string;
}

/** `chunksBefore` deltas, then one event whose data is not JSON, then the end of the body. */
export interface MalformedAfterStartScript {
  kind: 'malformed-after-start';
  chunksBefore: number;
  text: string;
}

/** Headers and `afterBytes` (default: half) of a normal reply to the default text, then the socket is destroyed. */
export interface ResetMidBodyScript {
  kind: 'reset-mid-body';
  afterBytes?: number;
}

/**
 * A stream that never ends: the same text delta over and over, each write waiting for the socket to drain, as a
 * provider's server does under TCP flow control. `stats` counts what was written and whether the caller went away.
 */
export interface FloodScript {
  kind: 'flood';
  stats: { bytesWritten: number; closed: boolean };
}

export interface CustomScript {
  kind: 'custom';
  handle: (req: IncomingMessage, res: ServerResponse, body: unknown) => void;
}

/** How the fake answers one request. */
export type Script =
  | TextScript
  | ToolCallsScript
  | ErrorScript
  | ErrorAfterStartScript
  | { kind: 'hang-before-headers' }
  | StallAfterScript
  | ResetMidBodyScript
  | TruncatedSseScript
  | MalformedAfterStartScript
  | FloodScript
  | { kind: 'malformed-json' }
  | { kind: 'wrong-content-type' }
  | CustomScript;

/** One request the fake received. */
export interface RecordedRequest {
  method: string;
  /** Path including the query string, e.g. `/v1beta/models/gemini-2.5-flash:streamGenerateContent?alt=sse`. */
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when the body is empty or not JSON. */
  body: unknown;
  rawBody: string;
  /** The client closed the connection before the response finished. */
  closedEarly: boolean;
}

/** A running fake provider server. */
export interface FakeUpstream {
  /** e.g. http://127.0.0.1:43121 — OpenAI clients use `${url}/v1` as their base, Anthropic and Gemini use `url`. */
  url: string;
  requests: RecordedRequest[];
  /** Scripts are consumed one per request, first in first out; an empty queue falls back to the default script. */
  enqueue(...scripts: Script[]): void;
  setDefault(script: Script): void;
  waitForRequests(n: number, timeoutMs?: number): Promise<void>;
  /** Resolves once request #index (0-based) has been closed early by the client. */
  waitForClose(index: number, timeoutMs?: number): Promise<void>;
  /** Closes the server, destroying open sockets (hanging and stalled responses included). */
  close(): Promise<void>;
}

export interface FakeUpstreamOptions {
  defaultScript?: Script;
  /**
   * Checks the API key each request presents (Bearer, x-api-key or x-goog-api-key); a refused key gets the
   * provider's 401 instead of the next script, as a real provider answers a revoked or rotated key.
   */
  acceptKey?: (key: string | undefined) => boolean;
}
