import type { VirtualKey } from './virtual-key.js';

/** Durable virtual keys, in the request store's database (SQLite embedded, Postgres in production). */
export interface KeyStore {
  /** Applies pending schema migrations (shared with the request log). */
  migrate(): Promise<void>;
  /** The secret keys' hashes are keyed with; created once per database, so every process that shares it agrees. */
  hashSecret(): Promise<Buffer>;
  /** Inserts a key or replaces the stored one with the same id. */
  saveKey(key: VirtualKey): Promise<void>;
  /** Every key changed at or after `updatedAfter` (epoch ms), revoked ones included; 0 lists them all. */
  keysChangedSince(updatedAfter: number): Promise<VirtualKey[]>;
  /** Recorded spend in USD per key id over requests that started at or after `fromMs`. */
  spendByKey(fromMs: number): Promise<Map<string, number>>;
  close(): Promise<void>;
}
