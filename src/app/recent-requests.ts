import type { RequestLogRecord } from '../ports/request-log.js';

/** What feedback needs to know about a request it scores. */
export type RecentRequest = Pick<RequestLogRecord, 'id' | 'status' | 'requestedModel' | 'provider' | 'model' | 'taskClass' | 'latencyMs' | 'costUsd' | 'keyId'>;

/**
 * The last requests this process recorded, bounded: feedback often arrives before the batched record reaches the
 * store, and the bandit learns from the served target's cost and latency without a store round trip.
 *
 * Kept as a ring of parallel arrays rather than an object (and a Map entry) per request: every request is remembered
 * and lives long enough to be promoted to the old generation, while feedback is rare. So remembering allocates
 * nothing (numbers go into typed arrays; a name equal to the one before it reuses that string, so the per-request copy
 * parsed from the client's body dies young), and a lookup scans the ids newest first (10,000 string comparisons, a few
 * microseconds, once per feedback call).
 */
export class RecentRequests {
  private readonly ids: Array<string | undefined>;
  private readonly statuses: Int32Array;
  private readonly latencies: Float64Array;
  private readonly costs: Float64Array;
  /** 1 where the request had a cost (undefined and NaN stay apart). */
  private readonly hasCost: Uint8Array;
  private readonly requestedModels: Array<string | undefined>;
  private readonly providers: Array<string | undefined>;
  private readonly models: Array<string | undefined>;
  private readonly taskClasses: Array<string | undefined>;
  /** The virtual key each request came with: feedback with a key may score only that key's requests. */
  private readonly keyIds: Array<string | undefined>;
  /** The slot the next request goes to; the newest is the one before it. */
  private next = 0;
  private readonly capacity: number;

  constructor(capacity = 10_000) {
    this.capacity = Math.max(1, Math.floor(capacity));
    const empty = (): Array<string | undefined> => new Array<string | undefined>(this.capacity).fill(undefined);
    this.ids = empty();
    this.requestedModels = empty();
    this.providers = empty();
    this.models = empty();
    this.taskClasses = empty();
    this.keyIds = empty();
    this.statuses = new Int32Array(this.capacity);
    this.latencies = new Float64Array(this.capacity);
    this.costs = new Float64Array(this.capacity);
    this.hasCost = new Uint8Array(this.capacity);
  }

  /** Remembers a finished request, forgetting the oldest past the capacity. */
  remember(record: RequestLogRecord): void {
    const slot = this.next;
    const previous = slot === 0 ? this.capacity - 1 : slot - 1;
    this.ids[slot] = record.id;
    this.statuses[slot] = record.status;
    this.latencies[slot] = record.latencyMs;
    this.hasCost[slot] = record.costUsd === undefined ? 0 : 1;
    this.costs[slot] = record.costUsd ?? 0;
    this.requestedModels[slot] = shared(record.requestedModel, this.requestedModels[previous]);
    this.providers[slot] = shared(record.provider, this.providers[previous]);
    this.models[slot] = shared(record.model, this.models[previous]);
    this.taskClasses[slot] = shared(record.taskClass, this.taskClasses[previous]);
    this.keyIds[slot] = shared(record.keyId, this.keyIds[previous]);
    this.next = slot + 1 === this.capacity ? 0 : slot + 1;
  }

  /** The newest remembered request with this id. */
  get(id: string): RecentRequest | undefined {
    for (let step = 1; step <= this.capacity; step += 1) {
      const slot = (this.next - step + this.capacity) % this.capacity;
      const known = this.ids[slot];
      if (known === undefined) return undefined;
      if (known === id) return this.read(slot, known);
    }
    return undefined;
  }

  private read(slot: number, id: string): RecentRequest {
    const request: RecentRequest = { id, status: this.statuses[slot] ?? 0, latencyMs: this.latencies[slot] ?? 0 };
    const requestedModel = this.requestedModels[slot];
    const provider = this.providers[slot];
    const model = this.models[slot];
    const taskClass = this.taskClasses[slot];
    const keyId = this.keyIds[slot];
    if (requestedModel !== undefined) request.requestedModel = requestedModel;
    if (provider !== undefined) request.provider = provider;
    if (model !== undefined) request.model = model;
    if (taskClass !== undefined) request.taskClass = taskClass;
    if (keyId !== undefined) request.keyId = keyId;
    if (this.hasCost[slot] === 1) request.costUsd = this.costs[slot] ?? 0;
    return request;
  }
}

/** `value`, or `before` when it is the same text: consecutive requests mostly name the same model and provider. */
function shared(value: string | undefined, before: string | undefined): string | undefined {
  return value !== undefined && value === before ? before : value;
}
