import { hostname } from 'node:os';
import type { BatchFileStore, BatchJobStore } from '../../ports/batch-store.js';
import type { BatchWorkQueue } from '../../ports/batch-work-queue.js';
import { parseStorageUrl } from '../request-log/create-request-log-store.js';
import { SqliteBatchStore } from './sqlite-batch-store.js';
import { StorePollingWorkQueue } from './store-polling-work-queue.js';

/** The batch store and work queue for one `storage.url`, with what the runner needs to know of them. */
export interface BatchBackend {
  store: BatchFileStore & BatchJobStore;
  queue: BatchWorkQueue;
  /** Whether a running line's owner is a process known to be gone (its lease can be taken over at once). */
  isGoneOwner(owner: string): boolean;
  close(): Promise<void>;
}

export interface BatchBackendOptions {
  chunkSize: number;
  workers: number;
  pollMs: () => number;
  onError: (error: unknown) => void;
  cwd?: string;
}

/** This process as a line owner: host and pid, so a restart on the same host recognises its predecessor's lines. */
export function processOwner(): string {
  return `${hostname()}:${process.pid}`;
}

function isProcessGone(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * SQLite: the store's lease claims are the queue, and a line owned by a dead process on this host (a crash) is taken
 * over at once. Postgres: pg-boss hands out shares of lines across replicas; leases end by expiry.
 */
export async function openBatchBackend(url: string, options: BatchBackendOptions): Promise<BatchBackend> {
  const location = parseStorageUrl(url, options.cwd);
  if (location.kind === 'sqlite') {
    const store = new SqliteBatchStore(location.path);
    await store.migrate();
    const host = hostname();
    return {
      store,
      queue: new StorePollingWorkQueue(store, options.pollMs, options.onError),
      isGoneOwner: (owner) => {
        const [ownerHost, pid] = owner.split(':');
        return ownerHost === host && pid !== undefined && isProcessGone(Number(pid));
      },
      close: () => store.close(),
    };
  }
  // pg and pg-boss are loaded only when Postgres is in use, so the embedded default starts without them.
  const { PostgresBatchStore } = await import('./postgres-batch-store.js');
  const store = new PostgresBatchStore({ connectionString: location.connectionString, ...(location.schema === undefined ? {} : { schema: location.schema }), onError: options.onError });
  await store.migrate();
  const { PgBossWorkQueue } = await import('./pg-boss-work-queue.js');
  const queue = new PgBossWorkQueue({
    connectionString: location.connectionString,
    schema: `${location.schema ?? 'switchyard'}_pgboss`,
    chunkSize: options.chunkSize,
    workers: options.workers,
    onError: options.onError,
  });
  return { store, queue, isGoneOwner: () => false, close: () => store.close() };
}
