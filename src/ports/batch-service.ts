import type { BatchJob, BatchProgress, StoredFile } from './batch-store.js';
import type { ResolvedKey } from './virtual-key.js';

/** A job with its progress, as every batch endpoint shows it. */
export interface BatchJobView {
  job: BatchJob;
  progress: BatchProgress;
  /** Seconds until the job is likely done, from its pace so far; undefined before the first line finished. */
  etaSeconds?: number;
}

/** One page of a list, newest first. */
export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

/** Who is asking: a virtual key sees only its own files and jobs; undefined (no key, or the admin) sees all. */
export type BatchCaller = ResolvedKey | undefined;

/** Files for batch work (the OpenAI Files API's subset for batches). */
export interface BatchFiles {
  upload(input: { filename: string; purpose: string; content: Buffer }, caller: BatchCaller): Promise<StoredFile>;
  get(id: string, caller: BatchCaller): Promise<StoredFile>;
  content(id: string, caller: BatchCaller): Promise<Buffer>;
  list(options: { purpose?: string; after?: string; limit: number }, caller: BatchCaller): Promise<Page<StoredFile>>;
  remove(id: string, caller: BatchCaller): Promise<void>;
}

/** What a new job is made of: an uploaded file of lines (OpenAI) or the requests themselves (Anthropic). */
export type NewBatch =
  | { format: 'openai'; endpoint: string; inputFileId: string; completionWindow: string; metadata: Record<string, string> }
  | { format: 'anthropic'; requests: Array<{ customId: string; params: unknown }> };

/** Batch jobs; every method rejects with a GatewayError (`not_found` for an id the caller cannot see). */
export interface BatchJobs {
  create(batch: NewBatch, caller: BatchCaller): Promise<BatchJobView>;
  get(id: string, caller: BatchCaller): Promise<BatchJobView>;
  list(options: { format?: BatchJob['format']; after?: string; limit: number }, caller: BatchCaller): Promise<Page<BatchJobView>>;
  cancel(id: string, caller: BatchCaller): Promise<BatchJobView>;
  /** A paused job runs again; `costCapUsd` replaces its cap (admin). */
  resume(id: string, changes: { costCapUsd?: number }): Promise<BatchJobView>;
  /** The job's finished lines' result entries, in input order (Anthropic's results stream). */
  results(id: string, caller: BatchCaller): AsyncIterable<unknown>;
}
