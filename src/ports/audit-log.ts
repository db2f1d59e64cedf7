/** One administrative action: who did what, when, to what, and what changed (never a secret). */
export interface AuditEntry {
  id: string;
  /** Epoch ms. */
  at: number;
  /** `admin-api`, `cli`, `gateway` (actions the gateway takes itself, such as secret refreshes). */
  actor: string;
  /** `key.create`, `key.revoke`, `key.rotate`, `key.update`, `config.reload`, `secret.refresh`, `secret.refresh_failed`. */
  action: string;
  /** What the action was about: a key id, a provider id. */
  target?: string;
  /** The change, as field → new value (secrets are never included). */
  details: Record<string, unknown>;
}

/** Filters for reading the audit log; newest first. */
export interface AuditQuery {
  action?: string;
  target?: string;
  from?: number;
  limit?: number;
}

/** Where administrative actions are kept, queryable through the admin API. */
export interface AuditLog {
  append(entry: AuditEntry): Promise<void>;
  query(filter: AuditQuery): Promise<AuditEntry[]>;
}
