/** Spend limits in US dollars; each window is counted in UTC (day, calendar month) or over the key's lifetime. */
export interface BudgetLimits {
  dailyUsd?: number;
  monthlyUsd?: number;
  totalUsd?: number;
}

/** Request and token rates per minute. */
export interface RateLimits {
  rpm?: number;
  tpm?: number;
}

/** A virtual key as stored: never its secret, only a keyed hash of it and a short prefix to recognise it by. */
export interface VirtualKey {
  /** Stable id (`key_…`), what the request record and admin API name. */
  id: string;
  name: string;
  owner?: string;
  team?: string;
  /** The first characters of the secret (`sk-sy-AbCd`), safe to show. */
  prefix: string;
  /** HMAC-SHA256 of the secret under the store's hash secret, hex. */
  hash: string;
  /** Model globs the key may call (`gpt-4o*`, `smart`, `sim/*`); empty means every model. */
  models: string[];
  limits: RateLimits;
  budget: BudgetLimits;
  /** Epoch ms after which the key stops working. */
  expiresAt?: number;
  /** Tags copied into every request record the key makes, and matched by data policies. */
  tags: Record<string, string>;
  createdAt: number;
  /** Epoch ms of the last change; caches reload keys changed after the newest they hold. */
  updatedAt: number;
  revokedAt?: number;
}

/** The prefix every virtual key secret starts with. */
export const VIRTUAL_KEY_PREFIX = 'sk-sy-';

/** How many characters of a secret are kept to recognise it by. */
export const SHOWN_PREFIX_LENGTH = 12;

/** A key as the admin API and CLI show it: everything but the hash. */
export type PublicVirtualKey = Omit<VirtualKey, 'hash'>;

/** Strips what must never leave the store (the hash) from a key. */
export function toPublicKey(key: VirtualKey): PublicVirtualKey {
  const { hash: _hash, ...rest } = key;
  return rest;
}

/** A key as the request path uses it: the stored record and its model globs compiled once. */
export interface ResolvedKey {
  key: VirtualKey;
  models: RegExp | undefined;
}

/** Finds keys by their secret from memory (no store round trip on the request path). */
export interface KeyDirectory {
  /** The key whose hash matches the secret, revoked and expired ones included (the caller decides). */
  find(secret: string): ResolvedKey | undefined;
}

/** What an administrator may set when creating or updating a key. */
export interface KeySpec {
  name: string;
  owner?: string;
  team?: string;
  models?: string[];
  limits?: RateLimits;
  budget?: BudgetLimits;
  expiresAt?: number;
  tags?: Record<string, string>;
}

/** A key just created or rotated: the only time its secret is available. */
export interface IssuedKey {
  key: PublicVirtualKey;
  secret: string;
}

/** Key management for the admin API and the CLI; every change is audited with its actor. */
export interface KeyAdministration {
  create(spec: KeySpec, actor: string): Promise<IssuedKey>;
  list(): Promise<PublicVirtualKey[]>;
  show(idOrPrefix: string): Promise<PublicVirtualKey | undefined>;
  revoke(idOrPrefix: string, actor: string): Promise<PublicVirtualKey | undefined>;
  /** Replaces the secret (the old one stops working at once); limits, budgets and spend stay with the key id. */
  rotate(idOrPrefix: string, actor: string): Promise<IssuedKey | undefined>;
  update(idOrPrefix: string, changes: Partial<KeySpec>, actor: string): Promise<PublicVirtualKey | undefined>;
}
