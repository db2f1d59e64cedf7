import { createHmac, randomBytes, type KeyObject } from 'node:crypto';
import { SHOWN_PREFIX_LENGTH, VIRTUAL_KEY_PREFIX } from '../../ports/virtual-key.js';

/** HMAC-SHA256 of a key secret under the store's hash secret, hex: what the store keeps instead of the secret. */
export function hashKeySecret(hashSecret: Buffer | KeyObject, secret: string): string {
  return hashKeySecretBytes(hashSecret, secret).toString('hex');
}

/** The same HMAC as bytes; a `KeyObject` hash secret spares converting the key on every call. */
export function hashKeySecretBytes(hashSecret: Buffer | KeyObject, secret: string): Buffer {
  return createHmac('sha256', hashSecret).update(secret).digest();
}

/** A new secret (`sk-sy-` + 256 random bits, base64url) and the prefix that may be shown. */
export function newKeySecret(): { secret: string; prefix: string } {
  const secret = `${VIRTUAL_KEY_PREFIX}${randomBytes(32).toString('base64url')}`;
  return { secret, prefix: secret.slice(0, SHOWN_PREFIX_LENGTH) };
}
