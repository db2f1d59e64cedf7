import type { ProviderSettings } from '../../core/index.js';
import { authHeaders } from '../provider-transport.js';
import { OPENAI_FAMILY_TRANSPORTS, isOpenAIFamilyType } from './openai-family-transports.js';

/** Request headers for an OpenAI-family upstream: JSON, bearer auth when a key is set, then the provider's extras. */
export function buildOpenAIHeaders(provider: ProviderSettings): Record<string, string> {
  const transport = isOpenAIFamilyType(provider.type) ? OPENAI_FAMILY_TRANSPORTS[provider.type] : OPENAI_FAMILY_TRANSPORTS['openai-compatible'];
  return { 'content-type': 'application/json', ...authHeaders(transport, provider.apiKey), ...provider.headers };
}
