import { createHash } from 'node:crypto';
import type { GatewayConfig } from './gateway-config.js';

/** JSON with Maps as entry lists and object keys sorted, so equal configs serialise equally. */
function canonical(value: unknown): unknown {
  if (value instanceof Map) return [...value.entries()].map(([key, entry]) => [key, canonical(entry)]);
  if (Array.isArray(value)) return value.map(canonical);
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1)).map(([key, entry]) => [key, canonical(entry)]));
  }
  return value;
}

/**
 * A short fingerprint of the resolved config (12 hex digits of SHA-256), so replicas serving different configs can be
 * told apart. Resolved secrets are part of it (a rotated key changes it) but cannot be read back from it. `source` is
 * left out: the same content loaded from two paths is the same config.
 */
export function hashConfig(config: GatewayConfig): string {
  const { source: _source, ...content } = config;
  return createHash('sha256').update(JSON.stringify(canonical(content))).digest('hex').slice(0, 12);
}
