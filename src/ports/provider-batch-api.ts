import type { CanonicalRequest, CanonicalResponse, EmbeddingRequest, EmbeddingResponse, ErrorCode, Target, Usage } from '../core/index.js';

/** One line a job hands to a provider's batch API; `request.model` is already the target's upstream model. */
export type DelegatedLine =
  | { customId: string; kind: 'chat'; request: CanonicalRequest }
  | { customId: string; kind: 'embedding'; request: EmbeddingRequest };

/** Where a provider batch stands; every state but `in_progress` is final. */
export interface DelegatedStatus {
  state: 'in_progress' | 'completed' | 'failed' | 'cancelled' | 'expired';
  completed?: number;
  failed?: number;
  total?: number;
  /** Why the batch failed: no secrets, no raw upstream body. */
  message?: string;
}

/** What became of one line the provider ran. */
export type DelegatedResult =
  | { customId: string; ok: true; kind: 'chat'; response: CanonicalResponse; usage: Usage }
  | { customId: string; ok: true; kind: 'embedding'; response: EmbeddingResponse; usage: Usage }
  | { customId: string; ok: false; error: { code: ErrorCode; message: string; status: number } };

/** One provider's batch API: submit lines, poll, read results, cancel. Every call rejects with a GatewayError. */
export interface ProviderBatchApi {
  /** Uploads and creates the provider batch; resolves with the provider's batch id. */
  submit(lines: readonly DelegatedLine[], target: Target, signal?: AbortSignal): Promise<string>;
  poll(providerJobId: string, target: Target, signal?: AbortSignal): Promise<DelegatedStatus>;
  /** The results of a finished batch, at most one per custom_id; lines it never ran (cancelled, expired) are absent. */
  results(providerJobId: string, target: Target, signal?: AbortSignal): AsyncIterable<DelegatedResult>;
  cancel(providerJobId: string, target: Target, signal?: AbortSignal): Promise<void>;
  /** The share of the live price the provider bills for batch work (0.5 = half). */
  readonly priceFactor: number;
}

/** Finds the batch API that can run a kind of line on a target. */
export interface ProviderBatchApis {
  /** Undefined when the target's provider has no batch API for that kind of line. */
  forTarget(target: Target, kind: 'chat' | 'embedding'): ProviderBatchApi | undefined;
}
