import type { AuditLog } from '../../ports/audit-log.js';
import type { KeyStore } from '../../ports/key-store.js';
import { parseStorageUrl } from '../request-log/create-request-log-store.js';
import { PostgresGovernanceStore } from './postgres-governance-store.js';
import { SqliteGovernanceStore } from './sqlite-governance-store.js';

/** Opens the key store and audit log in the database `storage.url` names (not migrated yet). */
export function createGovernanceStore(url: string, options: { cwd?: string; onError?: (error: Error) => void } = {}): KeyStore & AuditLog {
  const location = parseStorageUrl(url, options.cwd);
  if (location.kind === 'sqlite') return new SqliteGovernanceStore(location.path);
  return new PostgresGovernanceStore({
    connectionString: location.connectionString,
    ...(location.schema === undefined ? {} : { schema: location.schema }),
    ...(options.onError ? { onError: options.onError } : {}),
  });
}
