import data from './models.json' with { type: 'json' };
import type { ProviderType } from '../core/index.js';

/** Which catalogue entries belong to a provider type (the OpenAI-compatible family shares one catalogue section). */
const FAMILY: Partial<Record<ProviderType, { section: keyof typeof data; pattern: RegExp }>> = {
  openai: { section: 'openai-chat', pattern: /^(gpt-|o\d|chatgpt-)/ },
  deepseek: { section: 'openai-chat', pattern: /^deepseek-/ },
  qwen: { section: 'openai-chat', pattern: /^qwen/ },
  mistral: { section: 'openai-chat', pattern: /^(mistral-|codestral-)/ },
  groq: { section: 'openai-chat', pattern: /^(llama-|openai\/gpt-oss)/ },
  anthropic: { section: 'anthropic-messages', pattern: /./ },
  gemini: { section: 'gemini', pattern: /./ },
};

/** The catalogued model names a provider type serves, for `GET /v1/models`. */
export function catalogModelsFor(type: ProviderType): string[] {
  const family = FAMILY[type];
  if (!family) return [];
  return Object.keys(data[family.section]).filter((name) => family.pattern.test(name));
}

/** Every catalogued model name, all formats: what a glob alias such as `claude-*` can be listed as. */
export function allCatalogModels(): string[] {
  return Object.values(data).flatMap((section) => Object.keys(section));
}
