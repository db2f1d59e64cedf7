import type { ErrorCode, UnifiedFinishReason } from '../../src/core/index.js';
import type { FakeFormat, RecordedRequest, Script } from '../fakes/index.js';

/** A tool call as a client sends or receives it; Gemini clients carry no ids. */
export interface NeutralToolCall {
  id?: string;
  name: string;
  args: Record<string, unknown>;
}

/** One conversation turn, in terms every client format can express. */
export type NeutralMessage =
  | { role: 'user'; text: string; image?: { mediaType: string; data: string } }
  | { role: 'assistant'; toolCalls: NeutralToolCall[] }
  | { role: 'tool'; results: Array<{ id: string; name: string; content: string }>; followUp?: string };

export interface NeutralTool {
  name: string;
  description: string;
  parameters: Record<string, unknown>;
}

/** A request each ingress turns into its own SDK call. */
export interface NeutralRequest {
  system?: string;
  messages: NeutralMessage[];
  tools?: NeutralTool[];
  jsonSchema?: { name: string; schema: Record<string, unknown> };
  maxTokens?: number;
  stream: boolean;
}

/** Usage as totals: all prompt tokens, all generated tokens (reasoning included), and the detail buckets. */
export interface NeutralUsage {
  input?: number;
  output?: number;
  cacheRead?: number;
  reasoning?: number;
}

/** What the client SDK handed back, normalised. `finish` is the client format's own finish string. */
export interface ClientReply {
  text: string;
  toolCalls: NeutralToolCall[];
  finish: string | undefined;
  usage: NeutralUsage;
}

/** An error as the client SDK surfaced it: HTTP status, the format's error type, and the message. */
export interface ClientError {
  status: number | undefined;
  /** The `retry-after` header, when the SDK exposes headers (undefined when it does not). */
  retryAfter?: string | null;
  type: string | undefined;
  message: string;
}

/** One client SDK speaking to the gateway. */
export interface Ingress {
  name: string;
  /** The client format's finish string for each unified reason the matrix checks. */
  finishNames: Record<Extract<UnifiedFinishReason, 'stop' | 'length' | 'tool-calls'>, string>;
  /** The client format's error type for a gateway error code. */
  errorType(code: ErrorCode): string;
  /** Whether tool calls the client receives carry ids. */
  toolCallIds: boolean;
  /** Whether the client format reports reasoning tokens separately. */
  reportsReasoningTokens: boolean;
  /** Sends the request (streaming when `request.stream`), pushing streamed text deltas into `seen` as they come. */
  send(gatewayUrl: string, model: string, request: NeutralRequest, seen: string[]): Promise<ClientReply>;
  /** Reads an error the SDK threw. */
  describeError(error: unknown): ClientError;
  /** Whether `error` is this SDK's own API error class. */
  isSdkError(error: unknown): boolean;
}

/** A simulated-provider model definition, as in the config file. */
export type SimulatedModel = Record<string, unknown>;

/** What a case wants from an upstream, by provider: a fake script, or a simulated model. */
export interface UpstreamBehaviour {
  script?: Script;
  /** Per fake format, when the status or body differs (e.g. Anthropic's 529). */
  scriptFor?: Partial<Record<FakeFormat, Script>>;
  simulated: SimulatedModel;
}

/** What the client must see. */
export type Expectation =
  | {
      kind: 'reply';
      text?: string;
      json?: unknown;
      toolCalls?: NeutralToolCall[];
      /** The ids the client must see when the provider gives ids. */
      toolCallIds?: string[];
      finish: 'stop' | 'length' | 'tool-calls';
      usage?: NeutralUsage;
    }
  | { kind: 'error'; code: ErrorCode; retryAfter?: boolean }
  | { kind: 'stream-error'; textBefore: string };

/** One row of the shared case table. */
export interface ConformanceCase {
  id: string;
  title: string;
  request: NeutralRequest;
  upstream: UpstreamBehaviour;
  expect: Expectation;
  /** The provider check this case shares with another case (a streamed variant), when not its own id. */
  upstreamCheck?: string;
  /** A bug outside the translation layers that makes this case fail for every provider; the test is skipped. */
  knownBug?: string;
  /** Providers that cannot express this case, with the reason (the test is skipped for them). */
  skip?: Partial<Record<ProviderName, string>>;
}

export type ProviderName = 'openai' | 'anthropic' | 'gemini' | 'simulated';

/** One provider row: how to configure it and what its upstream must have been sent, per case. */
export interface ProviderRow {
  name: ProviderName;
  fake?: FakeFormat;
  /** Provider config (YAML-compatible object) given the fake's URL. */
  providerConfig(fakeUrl: string): Record<string, unknown>;
  upstreamModel: string;
  apiKey: string;
  /** Whether the provider's tool calls carry ids, which the client must then receive unchanged. */
  givesToolCallIds: boolean;
  /** Whether the provider reports reasoning tokens apart from output tokens. */
  reportsReasoningTokens: boolean;
  /** Assertions on what the upstream received, per case id; absent means none beyond the common ones. */
  checks: Partial<Record<string, (request: RecordedRequest) => void>>;
  /** Assertions every request to this upstream must satisfy (auth headers, path). */
  common(request: RecordedRequest, caseDef: ConformanceCase): void;
}
