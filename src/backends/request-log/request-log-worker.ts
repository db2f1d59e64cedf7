import { parentPort, workerData } from 'node:worker_threads';
import { createRequestLogStore } from './create-request-log-store.js';
import type { StoredRequestLogRecord } from '../../ports/request-log-store.js';
import { toWireError, type StoreCall, type StoreMessage, type StoreReply } from './worker-store-protocol.js';
import { DEFAULT_BATCH_SIZE } from './batching-request-log.js';
import { workerThreadPacing } from './write-pacing.js';

// Runs in a worker thread so that row encoding and SQLite's synchronous writes never block the event loop that
// serves requests, and paces its SQLite writes so that they never hold a CPU a request is waiting for.
const { url, cwd } = workerData as { url: string; cwd: string };
const store = await createRequestLogStore(url, {
  cwd,
  pacing: workerThreadPacing(DEFAULT_BATCH_SIZE),
  onError: (error) => parentPort?.postMessage({ id: -1, ok: false, error: toWireError(error) } satisfies StoreReply),
});

/** Records staged for an `insertBatch` still to come, by its call id; messages on one port arrive in order. */
const staged = new Map<number, StoredRequestLogRecord[]>();

parentPort?.on('message', (message: StoreMessage) => {
  if ('staged' in message) {
    const held = staged.get(message.id);
    if (held) held.push(...message.staged);
    else staged.set(message.id, message.staged);
    return;
  }
  const call: StoreCall = message;
  const leading = staged.get(call.id);
  staged.delete(call.id);
  const args = leading ? [[...leading, ...(call.args[0] as StoredRequestLogRecord[])]] : call.args;
  const method = store[call.method] as (...args: unknown[]) => Promise<unknown>;
  method.apply(store, args).then(
    (value) => parentPort?.postMessage({ id: call.id, ok: true, value } satisfies StoreReply),
    (error: unknown) => parentPort?.postMessage({ id: call.id, ok: false, error: toWireError(error) } satisfies StoreReply),
  );
});
