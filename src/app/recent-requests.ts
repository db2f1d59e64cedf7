import type { RequestLogRecord } from '../ports/request-log.js';

/** What feedback needs to know about a request it scores. */
export type RecentRequest = Pick<RequestLogRecord, 'id' | 'status' | 'requestedModel' | 'provider' | 'model' | 'taskClass' | 'latencyMs' | 'costUsd'>;

/**
 * The last requests this process recorded, bounded: feedback often arrives before the batched record reaches the
 * store, and the bandit learns from the served target's cost and latency without a store round trip.
 */
export class RecentRequests {
  private readonly entries = new Map<string, RecentRequest>();

  constructor(private readonly capacity = 10_000) {}

  /** Remembers a finished request, forgetting the oldest past the capacity. */
  remember(record: RequestLogRecord): void {
    const { id, status, requestedModel, provider, model, taskClass, latencyMs, costUsd } = record;
    this.entries.set(id, { id, status, requestedModel, provider, model, taskClass, latencyMs, costUsd });
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
  }

  get(id: string): RecentRequest | undefined {
    return this.entries.get(id);
  }
}
