/** Anthropic API versions the adapter can speak upstream. */
export type AnthropicVersion = '2023-06-01' | '2026-10-21';

/** Options of an `anthropic` provider. */
export interface AnthropicOptions {
  /** Defaults to the oldest version every account accepts. */
  apiVersion?: AnthropicVersion;
}

/** How Gemini receives tool and response schemas: `parametersJsonSchema` (default) or sanitised OpenAPI `parameters`. */
export type GeminiSchemaMode = 'json-schema' | 'openapi';

/** Options of a `gemini` provider. */
export interface GeminiOptions {
  schemaMode?: GeminiSchemaMode;
}

/** A fault the simulated provider injects; `rate` is the probability per request (seeded). */
export interface SimulatedFault {
  kind: 'error' | 'rate-limit' | 'stall' | 'error-after-start';
  status?: number;
  retry_after_s?: number;
  after_tokens?: number;
  rate?: number;
}

/** One simulated model, as the config file spells it. */
export interface SimulatedModelConfig {
  /** `echo` repeats the last user message, `lorem` writes deterministic filler, `tools` calls the request's tools, `json` answers with JSON. */
  behavior?: 'echo' | 'lorem' | 'tools' | 'json';
  output?: string;
  output_tokens?: number;
  ttft_ms?: number;
  tokens_per_second?: number;
  tool_calls?: Array<{ name: string; arguments: Record<string, unknown> }>;
  usage?: { input?: number; output?: number };
  fault?: SimulatedFault;
}

/** Options of a `simulated` provider, as the config file spells them. */
export interface SimulatedOptions {
  ttft_ms?: number;
  tokens_per_second?: number;
  seed?: number;
  models?: Record<string, SimulatedModelConfig>;
}
