import type { ModelLookup } from '../../catalog/index.js';
import { GatewayError, batchesOf, eventBatches, type CanonicalRequest, type EventBatches, type EmbeddingRequest, type StreamEvent, type Target, type Usage } from '../../core/index.js';
import type { AccessGate, DeploymentBucket } from '../../limits/access-gate.js';
import { estimateEmbedding, estimateRequest, usedTokens } from '../../limits/request-estimate.js';
import type { AttemptContext, ProviderClient } from '../../ports/provider-client.js';
import type { WindowBucket } from '../../ports/window-counters.js';

interface Reserved {
  bucket: WindowBucket;
  points: number;
  kind: 'requests' | 'tokens';
}

/** Takes one request and `tokens` from each of the deployment's windows, or gives back what it took and throws. */
async function reserveDeployment(gate: AccessGate, target: Target, tokens: number): Promise<Reserved[]> {
  const reserved: Reserved[] = [];
  const buckets = gate.deploymentBuckets(target);
  // An index loop: an iterator live across the await would be one more object per attempt.
  for (let index = 0; index < buckets.length; index += 1) {
    const { bucket, kind } = buckets[index] as DeploymentBucket;
    const points = kind === 'requests' ? 1 : tokens;
    const state = await gate.consume(bucket, points);
    if (!state) continue;
    if (!state.allowed) {
      for (const entry of reserved) await gate.adjust(entry.bucket, -entry.points);
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

const SETTLED: Promise<void> = Promise.resolve();

/**
 * Settles the token reservations with the reported usage (given back in full when the attempt reported none). Not an
 * async function: a deployment has one token window, whose adjustment (which never rejects) is returned as it is.
 */
function settleDeployment(gate: AccessGate, reserved: readonly Reserved[], usage: Usage | undefined): Promise<void> {
  const used = usedTokens(usage) ?? 0;
  const adjustments: Promise<void>[] = [];
  for (const entry of reserved) if (entry.kind === 'tokens') adjustments.push(gate.adjust(entry.bucket, used - entry.points));
  if (adjustments.length <= 1) return adjustments[0] ?? SETTLED;
  return Promise.all(adjustments).then(() => undefined);
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
      const settle = (): Promise<void> => {
        if (settled || !reserved) return SETTLED;
        settled = true;
        return settleDeployment(gate, reserved, usage);
      };
      // Synchronous for every batch but the end: an async handler would add a promise per batch.
      const seen = (result: IteratorResult<readonly StreamEvent[]>): IteratorResult<readonly StreamEvent[]> | Promise<IteratorResult<readonly StreamEvent[]>> => {
        if (result.done) return settle().then(() => result);
        for (const event of result.value) if (event.type === 'usage') usage = event.usage;
        return result;
      };
      const failed = (error: unknown): Promise<never> =>
        settle().then(() => {
          throw error;
        });
      const open = async (): Promise<AsyncIterator<readonly StreamEvent[]>> => {
        reserved = await reserveDeployment(gate, target, estimateRequest(request, [target], lookup()).tokens);
        try {
          batches = batchesOf(inner.stream(request, target, context));
        } catch (error) {
          return failed(error);
        }
        return batches;
      };
      return {
        next: () => (batches ? batches.next().then(seen, failed) : open().then((opened) => opened.next().then(seen, failed))),
        return: async (value?: unknown): Promise<IteratorResult<readonly StreamEvent[]>> => {
          try {
            if (batches?.return) await batches.return(value);
          } finally {
            await settle();
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
      const reserved = await reserveDeployment(gate, target, estimateEmbedding(request, [target], lookup()).tokens);
      let usage: Usage | undefined;
      try {
        const response = await embed.call(inner, request, target, context);
        if (response.inputTokens !== undefined) usage = { inputTokens: response.inputTokens };
        return response;
      } finally {
        await settleDeployment(gate, reserved, usage);
      }
    };
  }
  return client;
}
