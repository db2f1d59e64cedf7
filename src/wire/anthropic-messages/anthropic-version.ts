import type { AnthropicVersion, HeaderMap } from '../../core/index.js';

/** The Anthropic API versions the `/v1/messages` ingress understands: the ones the adapter speaks upstream. */
export type AnthropicApiVersion = AnthropicVersion;

/** The version new official SDKs (1.x) send; it allows `role: "system"` messages and omitting `max_tokens`. */
const ANTHROPIC_VERSION_2026 = '2026-10-21';

/**
 * Reads the client's `anthropic-version` header. Absent or any other value means 2023-06-01 rules, the stricter
 * ones, so an unknown version never loosens validation.
 */
export function anthropicVersionOf(headers: HeaderMap): AnthropicApiVersion {
  const raw = headers['anthropic-version'];
  const value = Array.isArray(raw) ? raw[0] : raw;
  return value?.trim() === ANTHROPIC_VERSION_2026 ? ANTHROPIC_VERSION_2026 : '2023-06-01';
}
