import type Database from 'better-sqlite3';
import { pendingMigrations } from './migration.js';
import { SQLITE_MIGRATIONS } from './sqlite/index.js';

/** Applies pending SQLite migrations in one immediate transaction, so two connections migrating at once agree. */
export function applySqliteMigrations(db: Database.Database): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)');
  const apply = db.transaction(() => {
    const rows = db.prepare<[], { version: number }>('SELECT version FROM schema_migrations').all();
    const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
    for (const migration of pendingMigrations(SQLITE_MIGRATIONS, new Set(rows.map((row) => row.version)))) {
      db.exec(migration.sql);
      record.run(migration.version, migration.name, Date.now());
    }
  });
  apply.immediate();
}
