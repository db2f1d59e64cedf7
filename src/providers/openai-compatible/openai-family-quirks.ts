import type { OpenAIFamilyType } from '../../core/index.js';

/** How one OpenAI-compatible vendor departs from OpenAI's own Chat Completions API. */
export interface OpenAIFamilyQuirks {
  type: OpenAIFamilyType;
  /** OpenAI deprecated `max_tokens` (o-series reject it); the other vendors still read `max_tokens`. */
  maxTokensField: 'max_completion_tokens' | 'max_tokens';
  /** Mistral names the sampling seed `random_seed`. */
  seedField: 'seed' | 'random_seed';
  /** Only OpenAI knows the o1+ `developer` role; elsewhere it is sent as `system`. */
  supportsDeveloperRole: boolean;
  /**
   * OpenAI takes system messages anywhere in the conversation; many other servers' chat templates (llama.cpp's
   * among them) refuse one after the first turn, so there later system text is folded into the leading one.
   */
  systemMessagesAnywhere: boolean;
  supportsMetadata: boolean;
  /** DeepSeek offers JSON mode but no schema-constrained output. */
  supportsJsonSchema: boolean;
  supportsUser: boolean;
  supportsTopK: boolean;
  supportsReasoningEffort: boolean;
  /** DeepSeek and Qwen want earlier assistant reasoning back as `reasoning_content`. */
  replaysReasoningContent: boolean;
  /** Mistral always reports stream usage and has no `stream_options`. */
  sendsStreamOptions: boolean;
  /** Mistral: 9-char alphanumeric tool-call ids, `tool_choice` limited to auto/none/any. */
  mistralTools: boolean;
  /** Qwen (DashScope): thinking is toggled by `enable_thinking` and only works when streaming. */
  qwenThinking: boolean;
}

const BASE: Omit<OpenAIFamilyQuirks, 'type'> = {
  maxTokensField: 'max_tokens',
  seedField: 'seed',
  supportsDeveloperRole: false,
  systemMessagesAnywhere: false,
  supportsMetadata: false,
  supportsJsonSchema: true,
  supportsUser: true,
  supportsTopK: false,
  supportsReasoningEffort: false,
  replaysReasoningContent: false,
  sendsStreamOptions: true,
  mistralTools: false,
  qwenThinking: false,
};

/** Per-type quirks, built once. */
export const OPENAI_FAMILY_QUIRKS: Readonly<Record<OpenAIFamilyType, OpenAIFamilyQuirks>> = {
  openai: {
    ...BASE,
    type: 'openai',
    maxTokensField: 'max_completion_tokens',
    supportsDeveloperRole: true,
    systemMessagesAnywhere: true,
    supportsMetadata: true,
    supportsReasoningEffort: true,
  },
  deepseek: { ...BASE, type: 'deepseek', supportsJsonSchema: false, replaysReasoningContent: true },
  qwen: { ...BASE, type: 'qwen', supportsTopK: true, replaysReasoningContent: true, qwenThinking: true },
  mistral: {
    ...BASE,
    type: 'mistral',
    seedField: 'random_seed',
    supportsUser: false,
    sendsStreamOptions: false,
    mistralTools: true,
  },
  groq: { ...BASE, type: 'groq', supportsReasoningEffort: true },
  'openai-compatible': { ...BASE, type: 'openai-compatible', supportsTopK: true, supportsReasoningEffort: true },
};
