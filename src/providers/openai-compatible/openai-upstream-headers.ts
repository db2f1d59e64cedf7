import type { ProviderSettings } from '../../core/index.js';

/** Request headers for an OpenAI-family upstream: JSON, bearer auth when a key is set, then the provider's extras. */
export function buildOpenAIHeaders(provider: ProviderSettings): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  // Local OpenAI-compatible servers often run without a key; sending "Bearer " would be rejected by some.
  if (provider.apiKey) headers.authorization = `Bearer ${provider.apiKey}`;
  return { ...headers, ...provider.headers };
}
