import type { AttemptRecord, ClientFormat, FinishReason, Usage, Warning } from '../core/index.js';

/** The record kept for every request, served or not. */
export interface RequestLogRecord {
  id: string;
  /** Epoch milliseconds when the request arrived. */
  startedAt: number;
  clientFormat: ClientFormat | 'embeddings';
  keyId?: string;
  requestedModel?: string;
  provider?: string;
  model?: string;
  stream: boolean;
  status: number;
  errorCode?: string;
  errorMessage?: string;
  attempts: AttemptRecord[];
  ttftMs?: number;
  latencyMs: number;
  overheadMs?: number;
  usage?: Usage;
  finishReason?: FinishReason;
  /** Estimated cost in USD, once prices are known for the served model. */
  costUsd?: number;
  /** USD that prompt-cache pricing saved on this response (cost without cache pricing minus `costUsd`). */
  cacheSavingUsd?: number;
  warnings: Warning[];
  /** Why each target was tried or skipped. */
  routing?: Array<{ providerId: string; model: string; action: 'try' | 'skip'; reason: string }>;
  metadata?: Record<string, string>;
  /** The task class the request was routed as (`metadata.task`, `x-switchyard-task` or the classifier). */
  taskClass?: string;
  /** `hit` when the response cache answered (no upstream call, zero cost), `miss` when it was consulted in vain. */
  cache?: 'hit' | 'miss';
  /** The client's body, only when `storage.store_bodies` is on (redacted before it is stored). */
  requestBody?: unknown;
  /** The response: the rendered body, or the folded content of a stream; only with `storage.store_bodies`. */
  responseBody?: unknown;
}

/** Where request records go. Implementations must not block the caller (batch and write asynchronously). */
export interface RequestLogSink {
  record(entry: RequestLogRecord): void;
  /** Writes everything still queued; called on shutdown. */
  flush(): Promise<void>;
}
