import type { ModelLookup } from '../../catalog/index.js';
import { GatewayError, batchesOf, eventBatches, type CanonicalRequest, type EventBatches, type EmbeddingRequest, type StreamEvent, type Target, type Usage } from '../../core/index.js';
import type { AccessGate, DeploymentBucket } from '../../limits/access-gate.js';
import { estimateEmbedding, estimateTargetTokens, usedTokens } from '../../limits/request-estimate.js';
import type { AttemptContext, ProviderClient } from '../../ports/provider-client.js';

/**
 * Takes one request and `tokens` from each of the deployment's windows, or gives back what it took and throws. What
 * it took is the list of the deployment's own bucket objects (made once per config), so a reservation kept for the
 * attempt's whole life allocates nothing per window.
 */
function reserveDeployment(gate: AccessGate, target: Target, buckets: readonly DeploymentBucket[], tokens: number): DeploymentBucket[] {
  const reserved: DeploymentBucket[] = [];
  for (const entry of buckets) {
    const state = gate.consume(entry.bucket, entry.kind === 'requests' ? 1 : tokens);
    if (!state) continue;
    if (!state.allowed) {
      for (const taken of reserved) gate.adjust(taken.bucket, taken.kind === 'requests' ? -1 : -tokens);
      throw new GatewayError('rate_limited', `${target.provider.id}/${target.model}: deployment at its ${entry.kind === 'requests' ? 'RPM' : 'TPM'} limit`, {
        retryable: false,
        retryAfterMs: state.resetMs,
        provider: target.provider.id,
      });
    }
    reserved.push(entry);
  }
  return reserved;
}

/** Settles the token reservations with the reported usage (given back in full when the attempt reported none). */
function settleDeployment(gate: AccessGate, reserved: readonly DeploymentBucket[], tokens: number, usage: Usage | undefined): void {
  const used = usedTokens(usage) ?? 0;
  for (const entry of reserved) if (entry.kind === 'tokens') gate.adjust(entry.bucket, used - tokens);
}

/** What one limited attempt needs: the client under the limit, the gate, and the attempt itself. */
interface LimitedAttempt {
  inner: ProviderClient;
  gate: AccessGate;
  lookup: () => ModelLookup;
  request: CanonicalRequest;
  target: Target;
  context: AttemptContext;
  buckets: readonly DeploymentBucket[];
}

/**
 * One attempt's batches under its deployment's limits. A class rather than closures over the attempt: it lives as long
 * as the attempt, which at high concurrency outlives young-generation collections, so it is kept to one object and
 * the two handlers every batch's `then` needs.
 */
class LimitedBatches implements AsyncIterator<readonly StreamEvent[]> {
  private batches: AsyncIterator<readonly StreamEvent[]> | undefined;
  private reserved: DeploymentBucket[] | undefined;
  private tokens = 0;
  private usage: Usage | undefined;
  private settled = false;

  constructor(private readonly attempt: LimitedAttempt) {}

  next(): Promise<IteratorResult<readonly StreamEvent[]>> {
    return this.batches ? this.batches.next().then(this.seen, this.failed) : this.open();
  }

  async return(value?: unknown): Promise<IteratorResult<readonly StreamEvent[]>> {
    try {
      if (this.batches?.return) await this.batches.return(value);
    } finally {
      this.settle();
    }
    return { done: true, value: undefined };
  }

  /** Reserves, then opens the inner stream; a refusal or a failure to open rejects the first `next`. */
  private open(): Promise<IteratorResult<readonly StreamEvent[]>> {
    const { inner, gate, lookup, request, target, context, buckets } = this.attempt;
    let batches: AsyncIterator<readonly StreamEvent[]>;
    try {
      this.tokens = estimateTargetTokens(request, target, lookup);
      this.reserved = reserveDeployment(gate, target, buckets, this.tokens);
      batches = batchesOf(inner.stream(request, target, context));
      this.batches = batches;
    } catch (error) {
      return Promise.reject(error).catch(this.failed);
    }
    return batches.next().then(this.seen, this.failed);
  }

  // Synchronous for every batch: an async handler would add a promise per batch.
  private readonly seen = (result: IteratorResult<readonly StreamEvent[]>): IteratorResult<readonly StreamEvent[]> => {
    if (result.done) this.settle();
    else for (const event of result.value) if (event.type === 'usage') this.usage = event.usage;
    return result;
  };

  private readonly failed = (error: unknown): never => {
    this.settle();
    throw error;
  };

  private settle(): void {
    if (this.settled || !this.reserved) return;
    this.settled = true;
    settleDeployment(this.attempt.gate, this.reserved, this.tokens, this.usage);
  }
}

/**
 * Holds every attempt to a deployment with RPM/TPM limits to them, generations and embeddings alike: one request and
 * the estimated tokens are reserved before the call, the tokens settled with the reported usage after it (given back
 * when the attempt failed without usage). A deployment already full refuses with `rate_limited`, which the engine
 * treats as "try the next target" and never as the deployment's failure.
 */
export function deploymentLimitedClient(inner: ProviderClient, gate: AccessGate, lookup: () => ModelLookup): ProviderClient {
  const client: ProviderClient = {
    stream(request: CanonicalRequest, target: Target, context: AttemptContext): AsyncIterable<StreamEvent> {
      // A deployment without limits gets its stream passed on as it is, without another async layer per event.
      const buckets = gate.deploymentBuckets(target);
      return buckets.length === 0 ? inner.stream(request, target, context) : limitedEvents(request, target, context, buckets);
    },
  };
  /**
   * The inner stream held to the deployment's limits: reserved before its first event, settled once when it ends,
   * fails or is closed early. It reads and passes on the inner stream a batch at a time (the events of one upstream
   * chunk, `EventBatches`), so holding a deployment to its limits adds one `then` per chunk, not a layer per event.
   */
  function limitedEvents(request: CanonicalRequest, target: Target, context: AttemptContext, buckets: readonly DeploymentBucket[]): EventBatches {
    return eventBatches(() => new LimitedBatches({ inner, gate, lookup, request, target, context, buckets }));
  }
  const { embed } = inner;
  if (embed) {
    client.embed = async (request: EmbeddingRequest, target: Target, context: AttemptContext) => {
      const buckets = gate.deploymentBuckets(target);
      if (buckets.length === 0) return embed.call(inner, request, target, context);
      const { tokens } = estimateEmbedding(request, [target], lookup());
      const reserved = reserveDeployment(gate, target, buckets, tokens);
      let usage: Usage | undefined;
      try {
        const response = await embed.call(inner, request, target, context);
        if (response.inputTokens !== undefined) usage = { inputTokens: response.inputTokens };
        return response;
      } finally {
        settleDeployment(gate, reserved, tokens, usage);
      }
    };
  }
  return client;
}
