import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AuditEntry, AuditLog, AuditQuery } from '../../ports/audit-log.js';
import type { KeyStore } from '../../ports/key-store.js';
import type { VirtualKey } from '../../ports/virtual-key.js';
import { applySqliteMigrations } from '../request-log/migrations/apply-sqlite-migrations.js';
import { auditQueryLimit, fromAuditRow, HASH_SECRET_SETTING, parseKeyData, type AuditRow } from './governance-rows.js';

/** Virtual keys and the audit log in the embedded SQLite database, beside the request log. */
export class SqliteGovernanceStore implements KeyStore, AuditLog {
  private readonly db: Database.Database;

  /** Opens (creating if needed) the database at `path`, or an in-memory one for `:memory:`. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
  }

  async migrate(): Promise<void> {
    applySqliteMigrations(this.db);
  }

  async hashSecret(): Promise<Buffer> {
    this.db
      .prepare('INSERT INTO governance_settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING')
      .run(HASH_SECRET_SETTING, randomBytes(32).toString('base64'));
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM governance_settings WHERE name = ?').get(HASH_SECRET_SETTING);
    return Buffer.from(row?.value ?? '', 'base64');
  }

  async saveKey(key: VirtualKey): Promise<void> {
    this.db
      .prepare(
        'INSERT INTO virtual_keys (id, hash, updated_at, data) VALUES (?, ?, ?, ?) ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at, data = excluded.data',
      )
      .run(key.id, key.hash, key.updatedAt, JSON.stringify(key));
  }

  async keysChangedSince(updatedAfter: number): Promise<VirtualKey[]> {
    const rows = this.db.prepare<[number], { data: string }>('SELECT data FROM virtual_keys WHERE updated_at >= ? ORDER BY updated_at').all(updatedAfter);
    return rows.map((row) => parseKeyData(row.data));
  }

  async spendByKey(fromMs: number): Promise<Map<string, number>> {
    const rows = this.db
      .prepare<[number], { key_id: string; spend: number }>(
        'SELECT key_id, SUM(cost_usd) AS spend FROM request_log WHERE key_id IS NOT NULL AND cost_usd IS NOT NULL AND started_at >= ? GROUP BY key_id',
      )
      .all(fromMs);
    return new Map(rows.map((row) => [row.key_id, row.spend]));
  }

  async append(entry: AuditEntry): Promise<void> {
    this.db
      .prepare('INSERT INTO audit_log (id, at, actor, action, target, details) VALUES (?, ?, ?, ?, ?, ?)')
      .run(entry.id, entry.at, entry.actor, entry.action, entry.target ?? null, JSON.stringify(entry.details));
  }

  async query(filter: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    const add = (clause: string, value: string | number): void => {
      where.push(clause);
      params.push(value);
    };
    if (filter.action !== undefined) add('action = ?', filter.action);
    if (filter.target !== undefined) add('target = ?', filter.target);
    if (filter.from !== undefined) add('at >= ?', filter.from);
    const sql = `SELECT id, at, actor, action, target, details FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT ?`;
    return this.db.prepare<Array<string | number>, AuditRow>(sql).all(...params, auditQueryLimit(filter)).map(fromAuditRow);
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
