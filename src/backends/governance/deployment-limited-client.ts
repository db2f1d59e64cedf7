import type { ModelLookup } from '../../catalog/index.js';
import { GatewayError, batchesOf, eventBatches, type CanonicalRequest, type EventBatches, type EmbeddingRequest, type StreamEvent, type Target, type Usage } from '../../core/index.js';
import type { AccessGate } from '../../limits/access-gate.js';
import { estimateEmbedding, estimateRequest, usedTokens } from '../../limits/request-estimate.js';
import type { AttemptContext, ProviderClient } from '../../ports/provider-client.js';
import type { WindowBucket } from '../../ports/window-counters.js';

interface Reserved {
  bucket: WindowBucket;
  points: number;
  kind: 'requests' | 'tokens';
}

/** Takes one request and `tokens` from each of the deployment's windows, or gives back what it took and throws. */
function reserveDeployment(gate: AccessGate, target: Target, tokens: number): Reserved[] {
  const reserved: Reserved[] = [];
  for (const { bucket, kind } of gate.deploymentBuckets(target)) {
    const points = kind === 'requests' ? 1 : tokens;
    const state = gate.consume(bucket, points);
    if (!state) continue;
    if (!state.allowed) {
      for (const entry of reserved) gate.adjust(entry.bucket, -entry.points);
      throw new GatewayError('rate_limited', `${target.provider.id}/${target.model}: deployment at its ${kind === 'requests' ? 'RPM' : 'TPM'} limit`, {
        retryable: false,
        retryAfterMs: state.resetMs,
        provider: target.provider.id,
      });
    }
    reserved.push({ bucket, points, kind });
  }
  return reserved;
}

/** Settles the token reservations with the reported usage (given back in full when the attempt reported none). */
function settleDeployment(gate: AccessGate, reserved: readonly Reserved[], usage: Usage | undefined): void {
  const used = usedTokens(usage) ?? 0;
  for (const entry of reserved) if (entry.kind === 'tokens') gate.adjust(entry.bucket, used - entry.points);
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
      return gate.deploymentBuckets(target).length === 0 ? inner.stream(request, target, context) : limitedEvents(request, target, context);
    },
  };
  /**
   * The inner stream held to the deployment's limits: reserved before its first event, settled once when it ends,
   * fails or is closed early. It reads and passes on the inner stream a batch at a time (the events of one upstream
   * chunk, `EventBatches`), so holding a deployment to its limits adds one `then` per chunk, not a layer per event.
   */
  function limitedEvents(request: CanonicalRequest, target: Target, context: AttemptContext): EventBatches {
    return eventBatches(() => {
      let batches: AsyncIterator<readonly StreamEvent[]> | undefined;
      let reserved: Reserved[] | undefined;
      let usage: Usage | undefined;
      let settled = false;
      const settle = (): void => {
        if (settled || !reserved) return;
        settled = true;
        settleDeployment(gate, reserved, usage);
      };
      // Synchronous for every batch: an async handler would add a promise per batch.
      const seen = (result: IteratorResult<readonly StreamEvent[]>): IteratorResult<readonly StreamEvent[]> => {
        if (result.done) settle();
        else for (const event of result.value) if (event.type === 'usage') usage = event.usage;
        return result;
      };
      const failed = (error: unknown): never => {
        settle();
        throw error;
      };
      /** Reserves, then opens the inner stream; a refusal or a failure to open rejects the first `next`. */
      const open = (): Promise<IteratorResult<readonly StreamEvent[]>> => {
        try {
          reserved = reserveDeployment(gate, target, estimateRequest(request, [target], lookup()).tokens);
          batches = batchesOf(inner.stream(request, target, context));
        } catch (error) {
          return Promise.reject(error).catch(failed);
        }
        return batches.next().then(seen, failed);
      };
      return {
        next: () => (batches ? batches.next().then(seen, failed) : open()),
        return: async (value?: unknown): Promise<IteratorResult<readonly StreamEvent[]>> => {
          try {
            if (batches?.return) await batches.return(value);
          } finally {
            settle();
          }
          return { done: true, value: undefined };
        },
      };
    });
  }
  const { embed } = inner;
  if (embed) {
    client.embed = async (request: EmbeddingRequest, target: Target, context: AttemptContext) => {
      if (gate.deploymentBuckets(target).length === 0) return embed.call(inner, request, target, context);
      const reserved = reserveDeployment(gate, target, estimateEmbedding(request, [target], lookup()).tokens);
      let usage: Usage | undefined;
      try {
        const response = await embed.call(inner, request, target, context);
        if (response.inputTokens !== undefined) usage = { inputTokens: response.inputTokens };
        return response;
      } finally {
        settleDeployment(gate, reserved, usage);
      }
    };
  }
  return client;
}
