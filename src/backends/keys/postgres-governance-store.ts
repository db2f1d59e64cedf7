import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { AuditEntry, AuditLog, AuditQuery } from '../../ports/audit-log.js';
import type { KeyStore } from '../../ports/key-store.js';
import type { VirtualKey } from '../../ports/virtual-key.js';
import { applyPostgresMigrations } from '../request-log/migrations/apply-postgres-migrations.js';
import { auditQueryLimit, fromAuditRow, HASH_SECRET_SETTING, parseKeyData, type AuditRow } from './governance-rows.js';

export interface PostgresGovernanceStoreOptions {
  connectionString: string;
  schema?: string;
  /** Called for errors on idle pooled connections; they must not crash the gateway. */
  onError?: (error: Error) => void;
}

/** Virtual keys and the audit log in Postgres, beside the request log. */
export class PostgresGovernanceStore implements KeyStore, AuditLog {
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;

  /** Creates a small pool; nothing connects until the first call. */
  constructor(options: PostgresGovernanceStoreOptions) {
    this.schema = options.schema;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: 2,
      connectionTimeoutMillis: 5_000,
      query_timeout: 10_000,
      ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
    });
    this.pool.on('error', options.onError ?? (() => undefined));
  }

  async migrate(): Promise<void> {
    await applyPostgresMigrations(this.pool, this.schema);
  }

  async hashSecret(): Promise<Buffer> {
    await this.pool.query('INSERT INTO governance_settings (name, value) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING', [
      HASH_SECRET_SETTING,
      randomBytes(32).toString('base64'),
    ]);
    const result = await this.pool.query<{ value: string }>('SELECT value FROM governance_settings WHERE name = $1', [HASH_SECRET_SETTING]);
    return Buffer.from(result.rows[0]?.value ?? '', 'base64');
  }

  async saveKey(key: VirtualKey): Promise<void> {
    await this.pool.query(
      'INSERT INTO virtual_keys (id, hash, updated_at, data) VALUES ($1, $2, $3, $4) ON CONFLICT (id) DO UPDATE SET hash = excluded.hash, updated_at = excluded.updated_at, data = excluded.data',
      [key.id, key.hash, key.updatedAt, JSON.stringify(key)],
    );
  }

  async keysChangedSince(updatedAfter: number): Promise<VirtualKey[]> {
    const result = await this.pool.query<{ data: unknown }>('SELECT data FROM virtual_keys WHERE updated_at >= $1 ORDER BY updated_at', [updatedAfter]);
    return result.rows.map((row) => parseKeyData(row.data));
  }

  async spendByKey(fromMs: number): Promise<Map<string, number>> {
    const result = await this.pool.query<{ key_id: string; spend: number }>(
      'SELECT key_id, SUM(cost_usd)::float8 AS spend FROM request_log WHERE key_id IS NOT NULL AND cost_usd IS NOT NULL AND started_at >= $1 GROUP BY key_id',
      [fromMs],
    );
    return new Map(result.rows.map((row) => [row.key_id, row.spend]));
  }

  async append(entry: AuditEntry): Promise<void> {
    await this.pool.query('INSERT INTO audit_log (id, at, actor, action, target, details) VALUES ($1, $2, $3, $4, $5, $6)', [
      entry.id,
      entry.at,
      entry.actor,
      entry.action,
      entry.target ?? null,
      JSON.stringify(entry.details),
    ]);
  }

  async query(filter: AuditQuery): Promise<AuditEntry[]> {
    const where: string[] = [];
    const params: Array<string | number> = [];
    const add = (clause: string, value: string | number): void => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (filter.action !== undefined) add('action = ?', filter.action);
    if (filter.target !== undefined) add('target = ?', filter.target);
    if (filter.from !== undefined) add('at >= ?', filter.from);
    params.push(auditQueryLimit(filter));
    const sql = `SELECT id, at, actor, action, target, details FROM audit_log ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC LIMIT $${params.length}`;
    const result = await this.pool.query<AuditRow>(sql, params);
    return result.rows.map(fromAuditRow);
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
