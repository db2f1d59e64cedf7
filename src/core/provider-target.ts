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

/** Deadlines by phase. */
export interface Timeouts {
  connectMs: number;
  firstTokenMs: number;
  stallMs: number;
  totalMs: number;
}
