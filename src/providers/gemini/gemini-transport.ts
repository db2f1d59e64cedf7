import type { Target } from '../../core/index.js';
import { authHeaders, type ProviderTransport } from '../provider-transport.js';

/** How to reach the Gemini Developer API: its official base URL, the conventional key variable, the key header. */
export const GEMINI_TRANSPORT: ProviderTransport = {
  baseUrl: 'https://generativelanguage.googleapis.com',
  apiKeyEnv: 'GEMINI_API_KEY',
  auth: { header: 'x-goog-api-key' },
  keyRequired: true,
};

/** `/v1beta/models/{model}:{method}`; a leading `models/` (the API's resource name form) is accepted. */
export function geminiModelPath(model: string, method: string): string {
  return `/v1beta/models/${encodeURIComponent(model.replace(/^models\//, ''))}:${method}`;
}

/** Auth and content headers, then the provider's configured extras. */
export function geminiHeaders(target: Target): Record<string, string> {
  return {
    ...authHeaders(GEMINI_TRANSPORT, target.provider.apiKey),
    'content-type': 'application/json',
    ...target.provider.headers,
  };
}
