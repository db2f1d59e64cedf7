import type { Target } from '../../core/index.js';

/** The Gemini Developer API's official base URL and the conventional key variable. */
export const GEMINI_DEFAULTS = {
  baseUrl: 'https://generativelanguage.googleapis.com',
  apiKeyEnv: 'GEMINI_API_KEY',
} as const;

/** `/v1beta/models/{model}:{method}`; a leading `models/` (the API's resource name form) is accepted. */
export function geminiModelPath(model: string, method: string): string {
  return `/v1beta/models/${encodeURIComponent(model.replace(/^models\//, ''))}:${method}`;
}

/** Auth and content headers, then the provider's configured extras. */
export function geminiHeaders(target: Target): Record<string, string> {
  const apiKey = target.provider.apiKey;
  return {
    ...(apiKey !== undefined && apiKey !== '' && { 'x-goog-api-key': apiKey }),
    'content-type': 'application/json',
    ...target.provider.headers,
  };
}
