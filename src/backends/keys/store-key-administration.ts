import { randomBytes } from 'node:crypto';
import type { AuditLog } from '../../ports/audit-log.js';
import type { KeyStore } from '../../ports/key-store.js';
import { toPublicKey, type IssuedKey, type KeyAdministration, type KeySpec, type PublicVirtualKey, type VirtualKey } from '../../ports/virtual-key.js';
import { hashKeySecret, newKeySecret } from './hash-key-secret.js';

export interface KeyAdministrationDeps {
  store: KeyStore;
  audit: AuditLog;
  /** Told about every change, so this process's cache applies it without waiting for a poll. */
  onChange?: (key: VirtualKey) => void;
  /** Wall-clock epoch ms; default `Date.now`. */
  now?: () => number;
}

/** The spec's fields as they are stored on a key (absent fields left out, not undefined). */
function specFields(spec: Partial<KeySpec>): Partial<VirtualKey> {
  const fields: Partial<VirtualKey> = {};
  if (spec.name !== undefined) fields.name = spec.name;
  if (spec.owner !== undefined) fields.owner = spec.owner;
  if (spec.team !== undefined) fields.team = spec.team;
  if (spec.models !== undefined) fields.models = spec.models;
  if (spec.limits !== undefined) fields.limits = spec.limits;
  if (spec.budget !== undefined) fields.budget = spec.budget;
  if (spec.expiresAt !== undefined) fields.expiresAt = spec.expiresAt;
  if (spec.tags !== undefined) fields.tags = spec.tags;
  return fields;
}

/** Creates, lists, revokes and rotates keys in the store, auditing each change with its actor. */
export class StoreKeyAdministration implements KeyAdministration {
  private readonly now: () => number;

  constructor(private readonly deps: KeyAdministrationDeps) {
    this.now = deps.now ?? Date.now;
  }

  async create(spec: KeySpec, actor: string): Promise<IssuedKey> {
    const { secret, prefix } = newKeySecret();
    const at = this.now();
    const key: VirtualKey = {
      id: `key_${randomBytes(8).toString('hex')}`,
      name: spec.name,
      prefix,
      hash: hashKeySecret(await this.deps.store.hashSecret(), secret),
      models: [],
      limits: {},
      budget: {},
      tags: {},
      createdAt: at,
      updatedAt: at,
      ...specFields(spec),
    };
    await this.save(key, actor, 'key.create', { ...toPublicKey(key) });
    return { key: toPublicKey(key), secret };
  }

  async list(): Promise<PublicVirtualKey[]> {
    return (await this.deps.store.keysChangedSince(0)).map(toPublicKey).sort((a, b) => a.createdAt - b.createdAt);
  }

  async show(idOrPrefix: string): Promise<PublicVirtualKey | undefined> {
    const key = await this.find(idOrPrefix);
    return key ? toPublicKey(key) : undefined;
  }

  async revoke(idOrPrefix: string, actor: string): Promise<PublicVirtualKey | undefined> {
    const key = await this.find(idOrPrefix);
    if (!key) return undefined;
    if (key.revokedAt !== undefined) return toPublicKey(key);
    const at = this.later(key);
    const revoked: VirtualKey = { ...key, revokedAt: at, updatedAt: at };
    await this.save(revoked, actor, 'key.revoke', { revokedAt: at });
    return toPublicKey(revoked);
  }

  async rotate(idOrPrefix: string, actor: string): Promise<IssuedKey | undefined> {
    const key = await this.find(idOrPrefix);
    if (!key || key.revokedAt !== undefined) return undefined;
    const { secret, prefix } = newKeySecret();
    const rotated: VirtualKey = { ...key, prefix, hash: hashKeySecret(await this.deps.store.hashSecret(), secret), updatedAt: this.later(key) };
    await this.save(rotated, actor, 'key.rotate', { previousPrefix: key.prefix, prefix });
    return { key: toPublicKey(rotated), secret };
  }

  async update(idOrPrefix: string, changes: Partial<KeySpec>, actor: string): Promise<PublicVirtualKey | undefined> {
    const key = await this.find(idOrPrefix);
    if (!key) return undefined;
    const fields = specFields(changes);
    const updated: VirtualKey = { ...key, ...fields, updatedAt: this.later(key) };
    await this.save(updated, actor, fields.budget === undefined ? 'key.update' : 'key.budget_change', { ...fields });
    return toPublicKey(updated);
  }

  /** A change's timestamp, strictly after the key's last one so caches polling `updated_at` see it. */
  private later(key: VirtualKey): number {
    return Math.max(this.now(), key.updatedAt + 1);
  }

  private async find(idOrPrefix: string): Promise<VirtualKey | undefined> {
    const keys = await this.deps.store.keysChangedSince(0);
    return keys.find((key) => key.id === idOrPrefix) ?? keys.find((key) => key.prefix === idOrPrefix);
  }

  private async save(key: VirtualKey, actor: string, action: string, details: Record<string, unknown>): Promise<void> {
    await this.deps.store.saveKey(key);
    this.deps.onChange?.(key);
    await this.deps.audit.append({ id: `aud_${randomBytes(8).toString('hex')}`, at: this.now(), actor, action, target: key.id, details });
  }
}
