import { resolve } from 'node:path';
import type { RequestLogStore } from '../../ports/request-log-store.js';
import { SqliteRequestLogStore } from './sqlite-request-log-store.js';
import type { WritePacing } from './write-pacing.js';

export interface CreateRequestLogStoreOptions {
  /** Base for relative SQLite paths; default `process.cwd()`. */
  cwd?: string;
  /** Receives errors from idle Postgres connections (logged by the caller; never thrown). */
  onError?: (error: Error) => void;
  /** How an SQLite writer shares its CPU; only for a store on a thread of its own. */
  pacing?: WritePacing;
}

/** Where a storage URL points: an SQLite file (or `:memory:`) or a Postgres database and optional schema. */
export type StorageLocation = { kind: 'sqlite'; path: string } | { kind: 'postgres'; connectionString: string; schema?: string };

/**
 * Parses a storage URL: `sqlite://./switchyard.db` (relative to cwd), `sqlite:///abs/path.db`, `sqlite://:memory:`,
 * `postgres://…` / `postgresql://…` (an optional `schema` query parameter selects the schema).
 */
export function parseStorageUrl(url: string, cwd: string = process.cwd()): StorageLocation {
  if (url.startsWith('sqlite://')) {
    const path = url.slice('sqlite://'.length);
    if (path === '') throw new RangeError('storage.url sqlite:// needs a path, e.g. sqlite://./switchyard.db or sqlite://:memory:');
    return { kind: 'sqlite', path: path === ':memory:' ? path : resolve(cwd, path) };
  }
  if (url.startsWith('postgres://') || url.startsWith('postgresql://')) {
    const parsed = new URL(url);
    const schema = parsed.searchParams.get('schema') ?? undefined;
    parsed.searchParams.delete('schema');
    return { kind: 'postgres', connectionString: parsed.toString(), ...(schema === undefined ? {} : { schema }) };
  }
  const scheme = url.split(':')[0] ?? url;
  throw new RangeError(`Unsupported storage.url scheme "${scheme}:" (use sqlite://… or postgres://…)`);
}

/**
 * Opens the request log store a storage URL names (not migrated yet; call `migrate()`). The Postgres client is loaded
 * only for a Postgres URL: the embedded default never needs it, and it was about 3 MB of heap in each thread that
 * opened a store (docs/benchmarks.md).
 */
export async function createRequestLogStore(url: string, options: CreateRequestLogStoreOptions = {}): Promise<RequestLogStore> {
  const location = parseStorageUrl(url, options.cwd);
  if (location.kind === 'sqlite') return new SqliteRequestLogStore(location.path, options.pacing ? { pacing: options.pacing } : {});
  const { PostgresRequestLogStore } = await import('./postgres-request-log-store.js');
  return new PostgresRequestLogStore({
    connectionString: location.connectionString,
    ...(location.schema === undefined ? {} : { schema: location.schema }),
    ...(options.onError ? { onError: options.onError } : {}),
  });
}
