import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type {
  AggregateRow,
  AggregateWindow,
  FeedbackEntry,
  FeedbackSummaryRow,
  RequestLogPage,
  RequestLogQuery,
  RequestLogStore,
  StoredRequestLogRecord,
} from '../../ports/request-log-store.js';
import type { ComparisonPage, StoredComparison } from '../../ports/comparison.js';
import type { StoredResponse } from '../../ports/response-store.js';
import { handOffSliceSize, nextTurn, type NextTurn } from './hand-off-slices.js';
import { fromWireError, type StagedRecords, type StoreCall, type StoreReply } from './worker-store-protocol.js';

const WORKER_FILE = fileURLToPath(new URL('./request-log-worker.js', import.meta.url));

/**
 * The store thread's young generation, in MB. V8 gives every thread's heap the main thread's default (two 16 MB
 * semi-spaces), and the store thread, which holds little more than the batch it is writing, kept 22 MB of heap under
 * load; at 8 MB, 14.5, with its young collections costing no more per request (0.85 µs against 1.27). At 4 MB its heap
 * was 10 MB but they cost 2.9 µs (docs/benchmarks.md, "The old generation bounded").
 */
const STORE_THREAD_YOUNG_GENERATION_MB = 8;

/** Whether the compiled worker exists (it does in `dist/`; running from TypeScript sources it does not). */
export function canRunStoreInWorker(): boolean {
  return existsSync(WORKER_FILE);
}

/**
 * A RequestLogStore whose real store lives in a worker thread: the gateway thread only posts records, so encoding rows
 * and SQLite's synchronous transactions cost the request path nothing. Errors come back with their kind preserved
 * (a rejected batch stays a RequestLogRejectedError).
 */
export class WorkerRequestLogStore implements RequestLogStore {
  private readonly worker: Worker;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  private nextId = 0;
  /** Set once the worker has died; every later call fails with it instead of waiting forever. */
  private failure: Error | undefined;

  private readonly nextTurn: NextTurn;

  constructor(
    url: string,
    options: { cwd?: string; onError?: (error: Error) => void; workerFile?: string; nextTurn?: NextTurn } = {},
  ) {
    this.nextTurn = options.nextTurn ?? nextTurn;
    this.worker = new Worker(options.workerFile ?? WORKER_FILE, {
      workerData: { url, cwd: options.cwd ?? process.cwd() },
      resourceLimits: { maxYoungGenerationSizeMb: STORE_THREAD_YOUNG_GENERATION_MB },
    });
    this.worker.unref();
    this.worker.on('message', (reply: StoreReply) => {
      if (reply.id === -1) {
        if (!reply.ok) options.onError?.(fromWireError(reply.error));
        return;
      }
      const waiter = this.pending.get(reply.id);
      if (!waiter) return;
      this.pending.delete(reply.id);
      if (reply.ok) waiter.resolve(reply.value);
      else waiter.reject(fromWireError(reply.error));
    });
    this.worker.on('error', (error) => {
      this.failAll(error);
      options.onError?.(error);
    });
    this.worker.on('exit', (code) => this.failAll(new Error(`request log worker exited with code ${code}`)));
  }

  migrate(): Promise<void> {
    return this.call('migrate', []) as Promise<void>;
  }

  /**
   * Posts the batch a slice per event-loop turn and then the call with the last slice: cloning a whole flush in one
   * `postMessage` held the gateway thread for about 240 µs at concurrency 1, delaying any request that arrived then.
   */
  async insertBatch(records: StoredRequestLogRecord[]): Promise<void> {
    const sliceSize = handOffSliceSize(records.length);
    const id = ++this.nextId;
    let start = 0;
    for (; records.length - start > sliceSize; start += sliceSize) {
      if (this.failure) throw this.failure;
      if (start > 0) await this.nextTurn();
      this.worker.postMessage({ id, staged: records.slice(start, start + sliceSize) } satisfies StagedRecords);
    }
    if (start > 0) await this.nextTurn();
    await this.call('insertBatch', [records.slice(start)], id);
  }

  query(filter: RequestLogQuery): Promise<RequestLogPage> {
    return this.call('query', [filter]) as Promise<RequestLogPage>;
  }

  get(id: string): Promise<StoredRequestLogRecord | undefined> {
    return this.call('get', [id]) as Promise<StoredRequestLogRecord | undefined>;
  }

  aggregate(window: AggregateWindow): Promise<AggregateRow[]> {
    return this.call('aggregate', [window]) as Promise<AggregateRow[]>;
  }

  upsertFeedback(entry: FeedbackEntry): Promise<void> {
    return this.call('upsertFeedback', [entry]) as Promise<void>;
  }

  feedbackSummary(window: { from: number; to: number }): Promise<FeedbackSummaryRow[]> {
    return this.call('feedbackSummary', [window]) as Promise<FeedbackSummaryRow[]>;
  }

  prune(olderThanMs: number): Promise<number> {
    return this.call('prune', [olderThanMs]) as Promise<number>;
  }

  pruneBodies(olderThanMs: number): Promise<number> {
    return this.call('pruneBodies', [olderThanMs]) as Promise<number>;
  }

  saveComparison(comparison: StoredComparison): Promise<void> {
    return this.call('saveComparison', [comparison]) as Promise<void>;
  }

  listComparisons(page: { limit?: number; cursor?: string }): Promise<ComparisonPage> {
    return this.call('listComparisons', [page]) as Promise<ComparisonPage>;
  }

  getComparison(id: string): Promise<StoredComparison | undefined> {
    return this.call('getComparison', [id]) as Promise<StoredComparison | undefined>;
  }

  saveResponse(response: StoredResponse): Promise<void> {
    return this.call('saveResponse', [response]) as Promise<void>;
  }

  updateActiveResponse(response: StoredResponse): Promise<boolean> {
    return this.call('updateActiveResponse', [response]) as Promise<boolean>;
  }

  getResponse(id: string, owner: string): Promise<StoredResponse | undefined> {
    return this.call('getResponse', [id, owner]) as Promise<StoredResponse | undefined>;
  }

  deleteResponse(id: string, owner: string): Promise<boolean> {
    return this.call('deleteResponse', [id, owner]) as Promise<boolean>;
  }

  pruneResponses(olderThanMs: number): Promise<number> {
    return this.call('pruneResponses', [olderThanMs]) as Promise<number>;
  }

  async close(): Promise<void> {
    if (!this.failure) await this.call('close', []);
    await this.worker.terminate();
  }

  private failAll(error: Error): void {
    this.failure ??= error;
    for (const waiter of this.pending.values()) waiter.reject(this.failure);
    this.pending.clear();
  }

  private call(method: StoreCall['method'], args: unknown[], id = ++this.nextId): Promise<unknown> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.ref();
      this.worker.postMessage({ id, method, args } satisfies StoreCall);
    }).finally(() => {
      if (this.pending.size === 0) this.worker.unref();
    });
  }
}
