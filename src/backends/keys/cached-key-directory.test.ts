import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditLog } from '../../ports/audit-log.js';
import type { KeyStore } from '../../ports/key-store.js';
import { CachedKeyDirectory } from './cached-key-directory.js';
import { createGovernanceStore } from './create-governance-store.js';
import { StoreKeyAdministration } from './store-key-administration.js';

describe('CachedKeyDirectory', () => {
  let dir: string;
  let store: KeyStore & AuditLog;
  let directory: CachedKeyDirectory;
  let admin: StoreKeyAdministration;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-key-directory-'));
    store = await createGovernanceStore(`sqlite://${join(dir, 'store.db')}`);
    await store.migrate();
    directory = new CachedKeyDirectory(store, { pollMs: 60_000 });
    await directory.start();
    admin = new StoreKeyAdministration({ store, audit: store, onChange: (key) => directory.apply(key), now: Date.now });
  });

  afterEach(async () => {
    directory.stop();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('finds a key by its secret on every request, not only the first', async () => {
    const { key, secret } = await admin.create({ name: 'app' }, 'test');
    expect(directory.find(secret)?.key.id).toBe(key.id);
    expect(directory.find(secret)?.key.id).toBe(key.id);
  });

  it('keeps a key read again unchanged, with its matched secret, across polls', async () => {
    const { secret } = await admin.create({ name: 'app' }, 'test');
    const found = directory.find(secret);
    // Each poll reads the newest key again (changes in the same millisecond must not be missed).
    await directory.refresh();
    await directory.refresh();
    expect(directory.find(secret)).toBe(found);
  });

  it('refuses a secret that shares a matched key prefix but differs after it', async () => {
    const { secret } = await admin.create({ name: 'app' }, 'test');
    expect(directory.find(secret)).toBeDefined();
    const last = secret.at(-1) === 'A' ? 'B' : 'A';
    expect(directory.find(`${secret.slice(0, -1)}${last}`)).toBeUndefined();
    expect(directory.find(`${secret}x`)).toBeUndefined();
    expect(directory.find(secret.slice(0, -1))).toBeUndefined();
  });

  it('stops the old secret of a rotated key at once, even after it was matched', async () => {
    const { key, secret } = await admin.create({ name: 'app' }, 'test');
    expect(directory.find(secret)).toBeDefined();
    const rotated = await admin.rotate(key.id, 'test');
    expect(directory.find(secret)).toBeUndefined();
    expect(directory.find(rotated?.secret ?? '')?.key.id).toBe(key.id);
  });

  it('answers a matched key with its revocation once it is revoked', async () => {
    const { key, secret } = await admin.create({ name: 'app' }, 'test');
    expect(directory.find(secret)?.key.revokedAt).toBeUndefined();
    await admin.revoke(key.id, 'test');
    expect(directory.find(secret)?.key.revokedAt).toBeTypeOf('number');
  });
});
