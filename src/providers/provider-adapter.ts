import type {
  CanonicalRequest,
  CanonicalResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  GatewayError,
  StreamEvent,
  Warning,
  Target,
  HeaderMap,
  WireFormat,
} from '../core/index.js';

/** An HTTP request for the upstream, built purely from the canonical request. */
export interface UpstreamRequest {
  /** Path and query appended to `provider.baseUrl`, starting with `/`. */
  path: string;
  headers: Record<string, string>;
  /** Serialised JSON body: text, or the client's own UTF-8 bytes with the model replaced. */
  body: string | Uint8Array;
  /** Settings that could not be honoured exactly for this target. */
  warnings: Warning[];
  /** The client's own body went upstream (`passthrough`): nothing of it was lost to translation. */
  forwarded?: boolean;
}

/** One server-sent event as eventsource-parser yields it. */
export interface SseEvent {
  event?: string;
  data: string;
  id?: string;
}

/** Turns one upstream stream into StreamEvents; stateful per stream, no I/O. */
export interface StreamDecoder {
  /** Decodes one SSE event (may yield nothing, e.g. keep-alive pings). */
  push(event: SseEvent): StreamEvent[];
  /**
   * Called when the connection closed. Returns closing events (Gemini has no terminator, so its `finish` may come
   * here) or an `error` event when the stream was truncated before it finished.
   */
  end(): StreamEvent[];
  /**
   * Called after each upstream chunk: the events a decoder holds so that one chunk's output leaves as one batch (a
   * forwarding decoder's `wire` frames).
   */
  flush?(): StreamEvent[];
}

/**
 * Hands a same-format target's answer to the client as it came (`wire` events), with the events the record needs
 * (usage, finish, warnings, errors) decoded beside it.
 */
export interface AnswerForwarder {
  /** A whole JSON answer (its text and parsed body) as record events and one `wire`; undefined: translate it instead. */
  forwardBody(text: string, body: object): StreamEvent[] | undefined;
  createStreamDecoder(): StreamDecoder;
}

/** Pure translation between the canonical model and one upstream wire format. */
export interface ProviderAdapter {
  readonly format: WireFormat;
  /** Builds the upstream HTTP request; throws GatewayError('invalid_request' | 'unsupported_parameter') when it can't. */
  toUpstream(request: CanonicalRequest, target: Target): UpstreamRequest;
  /** Translates a non-streaming upstream JSON body. */
  fromUpstream(body: unknown, target: Target): CanonicalResponse;
  createStreamDecoder(target: Target): StreamDecoder;
  /**
   * A forwarder when this target speaks the client's format (the request's pass-through body) and its answers need no
   * translation; `requestId` names the answer as the gateway does.
   */
  forwarderFor?(request: CanonicalRequest, target: Target, requestId: string): AnswerForwarder | undefined;
  /** Maps an upstream error response (body already JSON-parsed when possible, else the text) to a GatewayError. */
  toGatewayError(status: number, headers: HeaderMap, body: unknown, target: Target): GatewayError;
  /** Embeddings, for formats that offer them. */
  toEmbeddingsUpstream?(request: EmbeddingRequest, target: Target): UpstreamRequest;
  fromEmbeddingsUpstream?(body: unknown, target: Target): EmbeddingResponse;
}
