import type { AuditLog } from '../../ports/audit-log.js';
import type { KeyStore } from '../../ports/key-store.js';
import { parseStorageUrl } from '../request-log/create-request-log-store.js';
import { SqliteGovernanceStore } from './sqlite-governance-store.js';

/** Opens the key store and audit log in the database `storage.url` names (not migrated yet); pg loads only for Postgres. */
export async function createGovernanceStore(url: string, options: { cwd?: string; onError?: (error: Error) => void } = {}): Promise<KeyStore & AuditLog> {
  const location = parseStorageUrl(url, options.cwd);
  if (location.kind === 'sqlite') return new SqliteGovernanceStore(location.path);
  const { PostgresGovernanceStore } = await import('./postgres-governance-store.js');
  return new PostgresGovernanceStore({
    connectionString: location.connectionString,
    ...(location.schema === undefined ? {} : { schema: location.schema }),
    ...(options.onError ? { onError: options.onError } : {}),
  });
}
