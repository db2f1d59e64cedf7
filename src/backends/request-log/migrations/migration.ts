/** One schema change. Versions are applied in ascending order and recorded in `schema_migrations`. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** The migrations not yet applied, in version order. */
export function pendingMigrations(all: readonly Migration[], applied: ReadonlySet<number>): Migration[] {
  return all.filter((migration) => !applied.has(migration.version)).sort((a, b) => a.version - b.version);
}
