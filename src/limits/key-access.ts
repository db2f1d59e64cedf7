import { GatewayError } from '../core/index.js';
import type { ResolvedKey } from '../ports/virtual-key.js';
import { modelAllowed } from './model-glob.js';

const HOW_TO_SEND =
  'send a virtual key (sk-sy-…) as Authorization: Bearer, x-api-key, x-goog-api-key or the key query parameter';

/**
 * Decides whether a presented secret may call the gateway: 401 when it is missing, unknown, revoked or expired.
 * `found` is what the key directory matched for the secret.
 */
export function checkKeyValid(presented: string | undefined, found: ResolvedKey | undefined, nowMs: number): ResolvedKey {
  if (presented === undefined) throw new GatewayError('authentication_failed', `Missing virtual key: ${HOW_TO_SEND}`);
  if (!found) throw new GatewayError('authentication_failed', 'Invalid virtual key');
  if (found.key.revokedAt !== undefined) throw new GatewayError('authentication_failed', `Virtual key ${found.key.prefix}… was revoked`);
  if (found.key.expiresAt !== undefined && found.key.expiresAt <= nowMs) {
    throw new GatewayError('authentication_failed', `Virtual key ${found.key.prefix}… expired at ${new Date(found.key.expiresAt).toISOString()}`);
  }
  return found;
}

/** 403 when the key's allowed-model globs do not cover the requested model. */
export function checkModelAllowed(resolved: ResolvedKey, model: string): void {
  if (modelAllowed(resolved.models, model)) return;
  throw new GatewayError('permission_denied', `Virtual key ${resolved.key.prefix}… may not use model \`${model}\` (allowed: ${resolved.key.models.join(', ')})`, {
    param: 'model',
  });
}
