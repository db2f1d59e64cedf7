import type {
  CanonicalRequest,
  CanonicalResponse,
  EmbeddingRequest,
  EmbeddingResponse,
  GatewayError,
  StreamEvent,
  Warning,
} from '../core/index.js';

/** Provider types a config may name. The OpenAI family shares one adapter with per-type settings. */
export type ProviderType =
  | 'openai'
  | 'anthropic'
  | 'gemini'
  | 'deepseek'
  | 'qwen'
  | 'mistral'
  | 'groq'
  | 'openai-compatible'
  | 'simulated';

/** Upstream wire formats. */
export type WireFormat = 'openai-chat' | 'anthropic-messages' | 'gemini';

/** A configured upstream account, resolved (secrets substituted, defaults applied). */
export interface ProviderSettings {
  /** The id the config gave it (`oai`, `claude`, …); appears in headers, logs and `provider/model` names. */
  id: string;
  type: ProviderType;
  /** Base URL without trailing slash; adapters append their paths per the official SDK conventions. */
  baseUrl: string;
  apiKey?: string;
  /** Extra headers sent on every upstream request (e.g. `OpenAI-Organization`). */
  headers: Record<string, string>;
  /** Anthropic API version the adapter speaks upstream. */
  anthropicVersion?: '2023-06-01' | '2026-10-21';
  /** Type-specific options (e.g. the simulated provider's behaviour), validated by the config schema. */
  options: Record<string, unknown>;
}

/** One deployment to try: a provider and the upstream model name on it. */
export interface Target {
  provider: ProviderSettings;
  model: string;
}

/** Headers as undici delivers them (lower-case names). */
export type HeaderMap = Record<string, string | string[] | undefined>;

/** An HTTP request for the upstream, built purely from the canonical request. */
export interface UpstreamRequest {
  /** Path and query appended to `provider.baseUrl`, starting with `/`. */
  path: string;
  headers: Record<string, string>;
  /** Serialised JSON body. */
  body: string;
  /** Settings that could not be honoured exactly for this target. */
  warnings: Warning[];
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
}

/** Pure translation between the canonical model and one upstream wire format. */
export interface ProviderAdapter {
  readonly format: WireFormat;
  /** Builds the upstream HTTP request; throws GatewayError('invalid_request' | 'unsupported_parameter') when it can't. */
  toUpstream(request: CanonicalRequest, target: Target): UpstreamRequest;
  /** Translates a non-streaming upstream JSON body. */
  fromUpstream(body: unknown, target: Target): CanonicalResponse;
  createStreamDecoder(target: Target): StreamDecoder;
  /** Maps an upstream error response (body already JSON-parsed when possible, else the text) to a GatewayError. */
  toGatewayError(status: number, headers: HeaderMap, body: unknown, target: Target): GatewayError;
  /** Embeddings, for formats that offer them. */
  toEmbeddingsUpstream?(request: EmbeddingRequest, target: Target): UpstreamRequest;
  fromEmbeddingsUpstream?(body: unknown, target: Target): EmbeddingResponse;
}
