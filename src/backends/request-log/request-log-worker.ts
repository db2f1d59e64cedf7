import { parentPort, workerData } from 'node:worker_threads';
import { createRequestLogStore } from './create-request-log-store.js';
import { toWireError, type StoreCall, type StoreReply } from './worker-store-protocol.js';

// Runs in a worker thread so that row encoding and SQLite's synchronous writes never block the event loop that
// serves requests.
const { url, cwd } = workerData as { url: string; cwd: string };
const store = createRequestLogStore(url, {
  cwd,
  onError: (error) => parentPort?.postMessage({ id: -1, ok: false, error: toWireError(error) } satisfies StoreReply),
});

parentPort?.on('message', (call: StoreCall) => {
  const method = store[call.method] as (...args: unknown[]) => Promise<unknown>;
  method.apply(store, call.args).then(
    (value) => parentPort?.postMessage({ id: call.id, ok: true, value } satisfies StoreReply),
    (error: unknown) => parentPort?.postMessage({ id: call.id, ok: false, error: toWireError(error) } satisfies StoreReply),
  );
});
