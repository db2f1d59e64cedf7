import type { OpenAIFamilyType, ProviderType } from '../../core/index.js';
import type { ProviderTransport } from '../provider-transport.js';

const BEARER = { header: 'authorization', scheme: 'Bearer' } as const;

/** How to reach each OpenAI-family type, following each vendor's official SDK; `/chat/completions` is appended. */
export const OPENAI_FAMILY_TRANSPORTS: Readonly<Record<OpenAIFamilyType, ProviderTransport>> = {
  openai: { baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY', auth: BEARER, keyRequired: true },
  deepseek: { baseUrl: 'https://api.deepseek.com', apiKeyEnv: 'DEEPSEEK_API_KEY', auth: BEARER, keyRequired: true },
  qwen: { baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', apiKeyEnv: 'DASHSCOPE_API_KEY', auth: BEARER, keyRequired: true },
  mistral: { baseUrl: 'https://api.mistral.ai/v1', apiKeyEnv: 'MISTRAL_API_KEY', auth: BEARER, keyRequired: true },
  groq: { baseUrl: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY', auth: BEARER, keyRequired: true },
  // A generic server (vLLM, llama.cpp, LM Studio…) has no official address; vLLM's local default is the example.
  'openai-compatible': { baseUrl: 'http://127.0.0.1:8000/v1', baseUrlRequired: true, auth: BEARER, keyRequired: false },
};

const FAMILY_TYPES = new Set<ProviderType>(Object.keys(OPENAI_FAMILY_TRANSPORTS) as OpenAIFamilyType[]);

/** True for provider types that speak OpenAI Chat Completions. */
export function isOpenAIFamilyType(type: ProviderType): type is OpenAIFamilyType {
  return FAMILY_TYPES.has(type);
}
