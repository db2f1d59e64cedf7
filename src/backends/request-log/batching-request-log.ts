import type { RequestLogSink } from '../../ports/request-log.js';
import { RequestLogRejectedError, type RequestLogStore, type StoredRequestLogRecord } from '../../ports/request-log-store.js';
import { handOffSliceSize, nextTurn, type NextTurn } from './hand-off-slices.js';
import { redactSecrets } from './redact-secrets.js';

/** Runs `callback` after `ms`; returns a cancel function. */
export type Schedule = (callback: () => void, ms: number) => () => void;

export interface BatchingRequestLogOptions {
  /** Records held in memory at most; beyond it the oldest are dropped. Default 10,000. */
  maxQueue?: number;
  /** Records per insert; a full batch is written at once, even right after the previous insert. Default 500. */
  batchSize?: number;
  /**
   * A partial batch is written this long after its oldest record was queued, or when the insert ahead of it returns if
   * that is later. Default 25 ms. What a SIGKILL loses is what is queued or in flight: about this long of traffic plus
   * one insert (more while the store is down and a batch is being retried).
   */
  flushIntervalMs?: number;
  /** First retry delay after a failed insert; doubles per failure. Default 100 ms. */
  retryBaseMs?: number;
  /** Retry delay cap. Default 30,000 ms. */
  retryMaxMs?: number;
  /** `flush()` gives up after this long (shutdown must end). Default 10,000 ms. */
  flushTimeoutMs?: number;
  /** Keep request/response bodies (redacted). Default false: bodies are stripped before storage. */
  storeBodies?: boolean;
  /** Told about every failed insert, so the caller can log it. */
  onError?: (error: unknown, info: { failures: number; batchSize: number; retryInMs?: number }) => void;
  /** Timer source for the flush interval and retry backoff; default unref'd `setTimeout` (never holds the process). */
  schedule?: Schedule;
  /** Waits for a later event-loop turn between slices of a batch being prepared; default `setImmediate`. */
  nextTurn?: NextTurn;
}

/** Counters for metrics. */
export interface BatchingRequestLogStats {
  /** Records waiting, including a batch being written or retried. */
  depth: number;
  /** Oldest records dropped because the queue was full. */
  dropped: number;
  /** Records the store accepted. */
  written: number;
  /** Failed insert calls (each retry that fails counts). */
  failures: number;
  /** Records the store refused as invalid data; dropped without retry. */
  rejected: number;
}

/** Records per insert unless configured otherwise. */
export const DEFAULT_BATCH_SIZE = 500;

const unrefSchedule: Schedule = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/**
 * The request log's hot-path sink: `record` only enqueues. A single writer drains the queue in batches, one insert in
 * flight at a time, retrying a failed batch with capped exponential backoff while new records keep queueing. When the
 * queue is full the oldest queued records are dropped (newest are the most useful during an incident) and counted.
 */
export class BatchingRequestLog implements RequestLogSink {
  private readonly maxQueue: number;
  private readonly batchSize: number;
  private readonly flushIntervalMs: number;
  private readonly retryBaseMs: number;
  private readonly retryMaxMs: number;
  private readonly flushTimeoutMs: number;
  private readonly storeBodies: boolean;
  private readonly onError: BatchingRequestLogOptions['onError'];
  private readonly schedule: Schedule;
  private readonly nextTurn: NextTurn;
  /** Queue as an array with a moving head, so dropping and batching the oldest are O(1) amortised. */
  private items: StoredRequestLogRecord[] = [];
  private head = 0;
  private inFlight = 0;
  private writing: Promise<void> | undefined;
  private cancelTimer: (() => void) | undefined;
  /** Set when the flush interval has passed (or `flush()` runs): the writer then also writes partial batches. */
  private partialDue = false;
  private readonly counters = { dropped: 0, written: 0, failures: 0, rejected: 0 };

  constructor(
    private readonly store: Pick<RequestLogStore, 'insertBatch'>,
    options: BatchingRequestLogOptions = {},
  ) {
    this.maxQueue = Math.max(1, options.maxQueue ?? 10_000);
    this.batchSize = Math.max(1, options.batchSize ?? DEFAULT_BATCH_SIZE);
    this.flushIntervalMs = options.flushIntervalMs ?? 25;
    this.retryBaseMs = options.retryBaseMs ?? 100;
    this.retryMaxMs = options.retryMaxMs ?? 30_000;
    this.flushTimeoutMs = options.flushTimeoutMs ?? 10_000;
    this.storeBodies = options.storeBodies ?? false;
    this.onError = options.onError;
    this.schedule = options.schedule ?? unrefSchedule;
    this.nextTurn = options.nextTurn ?? nextTurn;
  }

  record(entry: StoredRequestLogRecord): void {
    this.items.push(entry);
    if (this.queued() > this.maxQueue) {
      this.head += 1;
      this.counters.dropped += 1;
      this.compact();
    }
    if (this.queued() >= this.batchSize) this.pump();
    else this.scheduleFlush();
  }

  /** Writes everything queued, waiting through retries, but returns after `flushTimeoutMs` whatever remains. */
  async flush(): Promise<void> {
    const drained = (async () => {
      while (this.queued() > 0 || this.writing) {
        this.partialDue = true;
        this.pump();
        await this.writing;
      }
    })();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, this.flushTimeoutMs);
    });
    try {
      await Promise.race([drained, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Queue depth and counters, for metrics. */
  stats(): BatchingRequestLogStats {
    return { depth: this.queued() + this.inFlight, ...this.counters };
  }

  private queued(): number {
    return this.items.length - this.head;
  }

  private compact(): void {
    // An emptied queue lets go of its records at once: kept until the next compaction (up to a second of traffic),
    // every record outlived two young-generation collections and was promoted to the old generation.
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /** Arms the flush interval for what is queued; it also runs while an insert is in flight, so waits do not add up. */
  private scheduleFlush(): void {
    if (this.cancelTimer || this.partialDue) return;
    this.cancelTimer = this.schedule(() => {
      this.cancelTimer = undefined;
      this.partialDue = true;
      this.pump();
    }, this.flushIntervalMs);
  }

  /** Starts the writer unless it is already running. */
  private pump(): void {
    if (this.writing) return;
    this.writing = this.drain().finally(() => {
      this.writing = undefined;
      if (this.queued() > 0) this.scheduleFlush();
    });
  }

  /**
   * Writes full batches back to back and a partial one only once it is due: writing every few records as soon as the
   * previous insert returned made each insert (a message to the store's thread and a transaction) carry a handful.
   */
  private async drain(): Promise<void> {
    while (this.queued() >= this.batchSize || (this.partialDue && this.queued() > 0)) {
      const taken = this.items.slice(this.head, this.head + this.batchSize);
      this.head += taken.length;
      this.compact();
      if (this.queued() === 0) this.settle();
      this.inFlight = taken.length;
      try {
        // A slice per event-loop turn: at concurrency 1, preparing and handing over a whole flush held the gateway
        // thread for about 400 µs, and a request arriving meanwhile (about 2 % of them) waited for all of it.
        const sliceSize = handOffSliceSize(taken.length);
        const batch: StoredRequestLogRecord[] = [];
        for (let start = 0; start < taken.length; start += sliceSize) {
          if (start > 0) await this.nextTurn();
          for (const record of taken.slice(start, start + sliceSize)) batch.push(this.prepare(record));
        }
        await this.write(batch);
      } finally {
        this.inFlight = 0;
      }
    }
  }

  /** The queue is empty: nothing is due and no timer needs to fire. */
  private settle(): void {
    this.partialDue = false;
    this.cancelTimer?.();
    this.cancelTimer = undefined;
  }

  /** Inserts a batch, retrying until it succeeds; a batch the store rejects is split to find and drop the bad rows. */
  private async write(batch: StoredRequestLogRecord[]): Promise<void> {
    let failuresInARow = 0;
    for (;;) {
      try {
        await this.store.insertBatch(batch);
        this.counters.written += batch.length;
        return;
      } catch (error) {
        this.counters.failures += 1;
        if (error instanceof RequestLogRejectedError) {
          this.onError?.(error, { failures: this.counters.failures, batchSize: batch.length });
          if (batch.length === 1) this.counters.rejected += 1;
          else for (const record of batch) await this.write([record]);
          return;
        }
        failuresInARow += 1;
        const retryInMs = Math.min(this.retryMaxMs, this.retryBaseMs * 2 ** (failuresInARow - 1));
        this.onError?.(error, { failures: this.counters.failures, batchSize: batch.length, retryInMs });
        await new Promise<void>((resolve) => this.schedule(resolve, retryInMs));
      }
    }
  }

  /** Masks key-shaped metadata values; strips bodies unless body logging is on, and then redacts them (off the hot path). */
  private prepare(stored: StoredRequestLogRecord): StoredRequestLogRecord {
    // Metadata is the client's own tags: a key pasted into one must not be stored as given.
    const record = stored.metadata === undefined ? stored : { ...stored, metadata: redactSecrets(stored.metadata) as Record<string, string> };
    if (record.requestBody === undefined && record.responseBody === undefined) return record;
    const { requestBody, responseBody, ...rest } = record;
    if (!this.storeBodies) return rest;
    return { ...rest, requestBody: redactSecrets(requestBody), responseBody: redactSecrets(responseBody) };
  }
}
