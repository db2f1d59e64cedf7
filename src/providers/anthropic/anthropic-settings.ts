import type { ProviderSettings } from '../../core/index.js';
import type { AnthropicApiVersion } from '../../wire/anthropic-messages/anthropic-version.js';

/** Transport defaults for the `anthropic` provider type (the official SDK's base URL, key variable and API version). */
export const ANTHROPIC_DEFAULTS = {
  baseUrl: 'https://api.anthropic.com',
  apiKeyEnv: 'ANTHROPIC_API_KEY',
  version: '2023-06-01',
} as const;

/** Appended to the provider's base URL, as the official SDK does. */
export const ANTHROPIC_MESSAGES_PATH = '/v1/messages';

/**
 * Name of the tool the adapter adds to emulate JSON-Schema output on models without native structured output. It is
 * reserved so the response side, which sees only the target, can recognise the call and return its input as text.
 */
export const JSON_OUTPUT_TOOL_NAME = '__switchyard_json_output';

/** The API version spoken to this provider. */
export function resolveAnthropicVersion(provider: ProviderSettings): AnthropicApiVersion {
  return provider.anthropicVersion ?? ANTHROPIC_DEFAULTS.version;
}

/** Request headers: auth, version and content type, then the provider's configured extras (which may override). */
export function buildAnthropicHeaders(provider: ProviderSettings): Record<string, string> {
  const headers: Record<string, string> = {
    'anthropic-version': resolveAnthropicVersion(provider),
    'content-type': 'application/json',
  };
  if (provider.apiKey !== undefined) headers['x-api-key'] = provider.apiKey;
  return { ...headers, ...provider.headers };
}
