import type { ProviderSettings } from '../../core/index.js';
import type { AnthropicApiVersion } from '../../wire/anthropic-messages/anthropic-version.js';
import { authHeaders, type ProviderTransport } from '../provider-transport.js';

/** How to reach the `anthropic` provider type (the official SDK's base URL and key variable). */
export const ANTHROPIC_TRANSPORT: ProviderTransport = {
  baseUrl: 'https://api.anthropic.com',
  apiKeyEnv: 'ANTHROPIC_API_KEY',
  auth: { header: 'x-api-key' },
  keyRequired: true,
};

/** The API version spoken when the config names none: the one every account accepts. */
export const ANTHROPIC_DEFAULT_VERSION: AnthropicApiVersion = '2023-06-01';

/** Appended to the provider's base URL, as the official SDK does. */
export const ANTHROPIC_MESSAGES_PATH = '/v1/messages';

/**
 * Name of the tool the adapter adds to emulate JSON-Schema output on models without native structured output. It is
 * reserved so the response side, which sees only the target, can recognise the call and return its input as text.
 */
export const JSON_OUTPUT_TOOL_NAME = '__switchyard_json_output';

/** The API version spoken to this provider. */
export function resolveAnthropicVersion(provider: ProviderSettings): AnthropicApiVersion {
  return (provider.type === 'anthropic' ? provider.options.apiVersion : undefined) ?? ANTHROPIC_DEFAULT_VERSION;
}

/** Request headers: auth, version and content type, then the provider's configured extras (which may override). */
export function buildAnthropicHeaders(provider: ProviderSettings): Record<string, string> {
  return {
    'anthropic-version': resolveAnthropicVersion(provider),
    'content-type': 'application/json',
    ...authHeaders(ANTHROPIC_TRANSPORT, provider.apiKey),
    ...provider.headers,
  };
}
