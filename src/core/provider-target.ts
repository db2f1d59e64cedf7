import type { ModelInfo } from './model-info.js';
import type { AnthropicOptions, GeminiOptions, SimulatedOptions } from './provider-options.js';

/** The provider types served by the OpenAI Chat Completions adapter. */
export type OpenAIFamilyType = 'openai' | 'deepseek' | 'qwen' | 'mistral' | 'groq' | 'openai-compatible';

/** Provider types a config may name. The OpenAI family shares one adapter with per-type settings. */
export type ProviderType = OpenAIFamilyType | 'anthropic' | 'gemini' | 'simulated';

/** Upstream wire formats. */
export type WireFormat = 'openai-chat' | 'anthropic-messages' | 'gemini';

/** What every configured upstream account has, resolved (secrets substituted, defaults applied). */
interface ProviderSettingsBase {
  /** The id the config gave it (`oai`, `claude`, …); appears in headers, logs and `provider/model` names. */
  id: string;
  /** Base URL without trailing slash; adapters append their paths per the official SDK conventions. */
  baseUrl: string;
  apiKey?: string;
  /** Extra headers sent on every upstream request (e.g. `OpenAI-Organization`). */
  headers: Record<string, string>;
}

/** Options of an OpenAI-family account; only `openai` takes `api`. */
export interface OpenAIFamilyOptions {
  /** The upstream API generations go to: Chat Completions (default) or the Responses API. */
  api?: 'chat' | 'responses';
}

/** An OpenAI-family account. */
export type OpenAIFamilySettings = ProviderSettingsBase & { type: OpenAIFamilyType; options: OpenAIFamilyOptions };
export type AnthropicSettings = ProviderSettingsBase & { type: 'anthropic'; options: AnthropicOptions };
export type GeminiSettings = ProviderSettingsBase & { type: 'gemini'; options: GeminiOptions };
export type SimulatedSettings = ProviderSettingsBase & { type: 'simulated'; options: SimulatedOptions };

/** A configured upstream account, discriminated on `type`: each type carries its own parsed options. */
export type ProviderSettings = OpenAIFamilySettings | AnthropicSettings | GeminiSettings | SimulatedSettings;

/** One deployment to try: a provider and the upstream model name on it. */
export interface Target {
  provider: ProviderSettings;
  model: string;
  /**
   * What routing resolved about the model (catalogue entry with the config's overrides applied); adapters read
   * limits and capabilities here, never from the global catalogue. Undefined when nothing is known about the model.
   */
  info?: ModelInfo;
  /** Set when routing lowered the request's output budget so it fits this target (see `routing.strict_max_tokens`). */
  outputClamp?: OutputClamp;
}

/** An output budget lowered to fit one target: the tokens asked for, the tokens that fit, and which limit bound. */
export interface OutputClamp {
  requested: number;
  clamped: number;
  /** The limit that bound, for the warning: e.g. "the 8192-token output limit". */
  limit: string;
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
