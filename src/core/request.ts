import type { CacheControl, Message } from './content.js';
import type { Warning } from './warning.js';

/** JSON Schema as given by the client; validated as an object, otherwise opaque. */
export type JsonSchema = Record<string, unknown>;

export interface ToolDefinition {
  name: string;
  description?: string;
  /** JSON Schema of the arguments object; `{ type: 'object', properties: {} }` when the client gave none. */
  parameters: JsonSchema;
  strict?: boolean;
  cacheControl?: CacheControl;
  /** The Responses API tool namespace the tool was declared in; `name` is then the flat `<namespace>__<name>`. */
  namespace?: string;
}

export type ToolChoice =
  | { type: 'auto' }
  | { type: 'none' }
  | { type: 'required' }
  | { type: 'tool'; name: string };

export type ResponseFormat =
  | { type: 'text' }
  | { type: 'json' }
  | { type: 'json-schema'; name: string; description?: string; schema: JsonSchema; strict?: boolean };

/** Reasoning controls, unified: OpenAI `reasoning_effort`, Anthropic `thinking`, Gemini `thinkingConfig`. */
export interface ReasoningOptions {
  enabled?: boolean;
  effort?: 'minimal' | 'low' | 'medium' | 'high';
  budgetTokens?: number;
}

/** Which client wire format a request arrived in. */
export type ClientFormat = 'openai-chat' | 'openai-responses' | 'anthropic-messages' | 'gemini';

/**
 * The gateway's one request model: the union of what the OpenAI, Anthropic and Gemini formats can express.
 * Dialects produce it; provider adapters consume it. Optional fields that are undefined were not sent.
 */
export interface CanonicalRequest {
  /** The model name the client asked for (an alias or `provider/model`). */
  model: string;
  messages: Message[];
  tools?: ToolDefinition[];
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
  responseFormat?: ResponseFormat;
  maxOutputTokens?: number;
  temperature?: number;
  topP?: number;
  topK?: number;
  frequencyPenalty?: number;
  presencePenalty?: number;
  seed?: number;
  stop?: string[];
  reasoning?: ReasoningOptions;
  /** End-user identifier (OpenAI `user`, Anthropic `metadata.user_id`). */
  user?: string;
  /** The client's key for the conversation's prompt cache (Responses `prompt_cache_key`); keeps a conversation on one deployment. */
  cacheKey?: string;
  /** Free-form tags (OpenAI `metadata`); also used for logging and routing hints. */
  metadata?: Record<string, string>;
  stream: boolean;
  /** Settings the client's dialect could not translate and dropped while parsing; reported with the target's warnings. */
  warnings?: Warning[];
  /** OpenAI `stream_options.include_usage`: the client wants a usage chunk at the end of the stream. */
  includeUsage?: boolean;
  /**
   * Fields only one provider format understands, keyed by format (`openai`, `anthropic`, `gemini`), passed to a
   * target of that format and reported as a dropped-parameter warning elsewhere.
   */
  providerOptions?: Record<string, Record<string, unknown>>;
  /**
   * What translating the client's body loses (tools or items the canonical request cannot hold): reported by each
   * attempt whose target translates the body, and not by one that forwards it (`passthrough`).
   */
  translationWarnings?: Warning[];
  /**
   * The client's original body when the target speaks the same format, so pass-through can keep every field.
   * Adapters may forward it (with the model rewritten) instead of re-encoding.
   */
  passthrough?: {
    format: ClientFormat;
    body: Record<string, unknown>;
    /** Client headers that belong to the body's meaning, e.g. `anthropic-beta`. */
    headers?: Record<string, string>;
    /**
     * The body may go upstream as sent only when its answer comes back as sent: it can ask for output (custom tool
     * calls, say) that the canonical response cannot hold, so a translated answer would lose it.
     */
    onlyWithForwardedAnswer?: boolean;
    /**
     * The client's body as parsed (`body`, or what `body` was copied from with changes), the UTF-8 bytes it was parsed
     * from, and the number of object keys in it at any depth: adapters may send the bytes with the top-level members
     * they change spliced in, instead of serialising their body again. Neither `body` nor its values are ever changed.
     */
    source?: { body: Record<string, unknown>; bytes: Uint8Array; keys: number };
  };
}

/** OpenAI-format embeddings request, canonicalised. */
export interface EmbeddingRequest {
  model: string;
  input: string[];
  dimensions?: number;
  encodingFormat?: 'float' | 'base64';
  user?: string;
}

export interface EmbeddingResponse {
  model: string;
  embeddings: number[][];
  inputTokens?: number;
  /** What the gateway changed on the way (a redacted input), reported beside the answer. */
  warnings?: Warning[];
}
