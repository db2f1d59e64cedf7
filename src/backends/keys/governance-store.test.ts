import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditLog } from '../../ports/audit-log.js';
import type { KeyStore } from '../../ports/key-store.js';
import type { VirtualKey } from '../../ports/virtual-key.js';
import { createRequestLogStore } from '../request-log/create-request-log-store.js';
import { createGovernanceStore } from './create-governance-store.js';

interface Backend {
  name: string;
  /** A fresh database URL, or why this backend is skipped. */
  url(): string | { skip: string };
  dispose(): Promise<void>;
}

let tempDir: string | undefined;
const databaseUrl = process.env.DATABASE_URL;
let schema: string | undefined;

const backends: Backend[] = [
  {
    name: 'SQLite',
    url() {
      tempDir = mkdtempSync(join(tmpdir(), 'switchyard-governance-'));
      return `sqlite://${join(tempDir, 'store.db')}`;
    },
    async dispose() {
      if (tempDir) rmSync(tempDir, { recursive: true, force: true });
    },
  },
  {
    name: 'Postgres',
    url() {
      if (!databaseUrl) return { skip: 'DATABASE_URL unset' };
      schema = `governance_test_${process.pid}_${Date.now().toString(36)}`;
      const url = new URL(databaseUrl);
      url.searchParams.set('schema', schema);
      return url.toString();
    },
    async dispose() {
      if (!databaseUrl || !schema) return;
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await client.end();
    },
  },
];

function key(id: string, updatedAt: number, extra: Partial<VirtualKey> = {}): VirtualKey {
  return { id, name: id, prefix: `sk-sy-${id}`, hash: `hash-${id}`, models: [], limits: {}, budget: {}, tags: {}, createdAt: 1, updatedAt, ...extra };
}

for (const backend of backends) {
  describe(`${backend.name} key store and audit log`, () => {
    let store: (KeyStore & AuditLog) | undefined;
    afterEach(async () => {
      await store?.close();
      store = undefined;
      await backend.dispose();
    });

    const open = async (): Promise<{ store: KeyStore & AuditLog; url: string } | undefined> => {
      const url = backend.url();
      if (typeof url !== 'string') {
        console.warn(`skipping ${backend.name}: ${url.skip}`);
        return undefined;
      }
      store = await createGovernanceStore(url);
      await store.migrate();
      return { store, url };
    };

    it('keeps one hash secret per database, and lists keys changed at or after a time, updates included', async () => {
      const opened = await open();
      if (!opened) return;
      const { store: s } = opened;
      const secret = await s.hashSecret();
      expect(secret).toHaveLength(32);
      expect((await s.hashSecret()).equals(secret)).toBe(true);
      await s.saveKey(key('a', 10));
      await s.saveKey(key('b', 20, { tags: { team: 'x' }, models: ['gpt-*'] }));
      await s.saveKey(key('a', 30, { revokedAt: 30 }));
      expect((await s.keysChangedSince(0)).map((k) => k.id)).toEqual(['b', 'a']);
      const changed = await s.keysChangedSince(30);
      expect(changed).toEqual([key('a', 30, { revokedAt: 30 })]);
      expect((await s.keysChangedSince(0)).find((k) => k.id === 'b')).toEqual(key('b', 20, { tags: { team: 'x' }, models: ['gpt-*'] }));
    });

    it('appends and filters audit entries newest first', async () => {
      const opened = await open();
      if (!opened) return;
      const { store: s } = opened;
      await s.append({ id: 'e1', at: 1, actor: 'cli', action: 'key.create', target: 'a', details: { name: 'a' } });
      await s.append({ id: 'e2', at: 2, actor: 'admin-api', action: 'key.revoke', target: 'a', details: {} });
      await s.append({ id: 'e3', at: 3, actor: 'signal', action: 'config.reload', details: { source: 'x.yaml' } });
      expect((await s.query({})).map((e) => e.id)).toEqual(['e3', 'e2', 'e1']);
      expect(await s.query({ target: 'a', action: 'key.create' })).toEqual([{ id: 'e1', at: 1, actor: 'cli', action: 'key.create', target: 'a', details: { name: 'a' } }]);
      expect((await s.query({ from: 2, limit: 1 })).map((e) => e.id)).toEqual(['e3']);
    });

    it('sums recorded spend per key from the request log in the same database', async () => {
      const opened = await open();
      if (!opened) return;
      const log = await createRequestLogStore(opened.url);
      await log.migrate();
      const record = (id: string, startedAt: number, keyId: string | undefined, costUsd: number | undefined) => ({
        id,
        startedAt,
        clientFormat: 'openai-chat' as const,
        stream: false,
        status: 200,
        attempts: [],
        latencyMs: 1,
        warnings: [],
        ...(keyId === undefined ? {} : { keyId }),
        ...(costUsd === undefined ? {} : { costUsd }),
      });
      await log.insertBatch([record('r1', 100, 'k1', 0.5), record('r2', 200, 'k1', 0.25), record('r3', 200, 'k2', 1), record('r4', 50, 'k1', 9), record('r5', 300, undefined, 2)]);
      await log.close();
      const spend = await opened.store.spendByKey(100);
      expect(Object.fromEntries(spend)).toEqual({ k1: 0.75, k2: 1 });
    });
  });
}
