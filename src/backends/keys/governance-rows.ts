import { isRecord } from '../../core/index.js';
import type { AuditEntry, AuditQuery } from '../../ports/audit-log.js';
import type { VirtualKey } from '../../ports/virtual-key.js';

/** The `governance_settings` row holding the secret key hashes are keyed with. */
export const HASH_SECRET_SETTING = 'key_hash_secret';

/** An audit row as both databases return it (details as JSON text in SQLite, parsed in Postgres). */
export interface AuditRow {
  id: string;
  at: number | string;
  actor: string;
  action: string;
  target: string | null;
  details: unknown;
}

/** A stored key's JSON (text in SQLite, already parsed in Postgres) back into a key. */
export function parseKeyData(data: unknown): VirtualKey {
  const value: unknown = typeof data === 'string' ? JSON.parse(data) : data;
  if (!isRecord(value) || typeof value.id !== 'string' || typeof value.hash !== 'string') throw new Error('malformed virtual key row');
  return value as unknown as VirtualKey;
}

/** An audit row back into an entry. */
export function fromAuditRow(row: AuditRow): AuditEntry {
  const details: unknown = typeof row.details === 'string' ? JSON.parse(row.details) : row.details;
  const entry: AuditEntry = { id: row.id, at: Number(row.at), actor: row.actor, action: row.action, details: isRecord(details) ? details : {} };
  if (row.target !== null) entry.target = row.target;
  return entry;
}

/** The page size of an audit query, clamped to 1..1000 (default 100). */
export function auditQueryLimit(filter: AuditQuery): number {
  return Math.min(1000, Math.max(1, filter.limit ?? 100));
}
