import type { ProviderType } from '../../core/index.js';

/** The provider types served by the OpenAI Chat Completions adapter. */
export type OpenAIFamilyType = Extract<ProviderType, 'openai' | 'deepseek' | 'qwen' | 'mistral' | 'groq' | 'openai-compatible'>;

export interface OpenAIFamilyDefault {
  /** Official base URL; `/chat/completions` and `/embeddings` are appended to it. */
  baseUrl: string;
  /** Environment variable conventionally holding the key. */
  apiKeyEnv?: string;
  /** True when the config must name a base URL because `baseUrl` is only an example (local servers). */
  baseUrlRequired?: boolean;
}

/** Default base URL and key variable per OpenAI-family type, following each vendor's official SDK. */
export const OPENAI_FAMILY_DEFAULTS: Readonly<Record<OpenAIFamilyType, OpenAIFamilyDefault>> = {
  openai: { baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
  deepseek: { baseUrl: 'https://api.deepseek.com', apiKeyEnv: 'DEEPSEEK_API_KEY' },
  qwen: { baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', apiKeyEnv: 'DASHSCOPE_API_KEY' },
  mistral: { baseUrl: 'https://api.mistral.ai/v1', apiKeyEnv: 'MISTRAL_API_KEY' },
  groq: { baseUrl: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY' },
  // A generic server (vLLM, llama.cpp, LM Studio…) has no official address; vLLM's local default is the example.
  'openai-compatible': { baseUrl: 'http://127.0.0.1:8000/v1', baseUrlRequired: true },
};

const FAMILY_TYPES = new Set<ProviderType>(Object.keys(OPENAI_FAMILY_DEFAULTS) as OpenAIFamilyType[]);

/** True for provider types that speak OpenAI Chat Completions. */
export function isOpenAIFamilyType(type: ProviderType): type is OpenAIFamilyType {
  return FAMILY_TYPES.has(type);
}
