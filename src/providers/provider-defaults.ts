import type { ProviderType } from '../core/index.js';

/** Official default base URL and standard key variable per provider type (base URLs follow each official SDK). */
export const PROVIDER_DEFAULTS: Readonly<Record<ProviderType, { baseUrl?: string; apiKeyEnv?: string }>> = {
  openai: { baseUrl: 'https://api.openai.com/v1', apiKeyEnv: 'OPENAI_API_KEY' },
  anthropic: { baseUrl: 'https://api.anthropic.com', apiKeyEnv: 'ANTHROPIC_API_KEY' },
  gemini: { baseUrl: 'https://generativelanguage.googleapis.com', apiKeyEnv: 'GEMINI_API_KEY' },
  deepseek: { baseUrl: 'https://api.deepseek.com', apiKeyEnv: 'DEEPSEEK_API_KEY' },
  qwen: { baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', apiKeyEnv: 'DASHSCOPE_API_KEY' },
  mistral: { baseUrl: 'https://api.mistral.ai/v1', apiKeyEnv: 'MISTRAL_API_KEY' },
  groq: { baseUrl: 'https://api.groq.com/openai/v1', apiKeyEnv: 'GROQ_API_KEY' },
  'openai-compatible': {},
  simulated: { baseUrl: 'simulated://local' },
};

/** Types whose upstream refuses requests without a key. */
export function requiresApiKey(type: ProviderType): boolean {
  return type !== 'openai-compatible' && type !== 'simulated';
}
