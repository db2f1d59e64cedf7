import type {
  CanonicalRequest,
  CanonicalResponse,
  ClientFormat,
  GatewayError,
  StreamEvent,
} from '../core/index.js';
import type { HeaderMap } from '../core/index.js';

/** What a dialect needs besides the body to parse a request. */
export interface ParseContext {
  headers: HeaderMap;
  /** Route parameters, e.g. Gemini's `{ model, method }` from the URL path. */
  params: Record<string, string>;
}

/** What a dialect needs to render a response or stream. */
export interface RenderContext {
  requestId: string;
  /** The model name to echo to the client (the one it asked for). */
  model: string;
  /** Unix seconds at which the request was received. */
  created: number;
  /** OpenAI `stream_options.include_usage`. */
  includeUsage: boolean;
  /** The request as parsed, for formats whose response echoes it (the Responses API). */
  request?: CanonicalRequest;
  /** The gateway's own prompt-token estimate, computed only when called (for usage a format needs before the upstream reports it). */
  estimatePromptTokens?: () => number;
}

/** Stateful per-stream encoder: StreamEvents in, SSE text in the client's format out. */
export interface StreamEncoder {
  /** Encodes one event; returns '' when the event has no representation in this format. */
  encode(event: StreamEvent): string;
  /**
   * Closes the stream (e.g. OpenAI `data: [DONE]`). After an `error` event it returns '' or whatever the format
   * requires so that the client sees a failure, never a success.
   */
  end(): string;
}

export interface RenderedError {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** One client wire format, both directions. Pure: no I/O. */
export interface Dialect {
  readonly format: ClientFormat;
  /** Validates and converts a client body; throws GatewayError('invalid_request', …, { param: path }) on bad input. */
  parseRequest(body: unknown, context: ParseContext): CanonicalRequest;
  renderResponse(response: CanonicalResponse, context: RenderContext): unknown;
  createStreamEncoder(context: RenderContext): StreamEncoder;
  renderError(error: GatewayError): RenderedError;
}
