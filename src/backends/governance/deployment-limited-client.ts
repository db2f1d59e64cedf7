import type { ModelLookup } from '../../catalog/index.js';
import { GatewayError, type CanonicalRequest, type EmbeddingRequest, type StreamEvent, type Target, type Usage } from '../../core/index.js';
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
   * fails or is closed early. A bare iterator rather than an async generator: one `then` per event instead of a
   * generator layer's own promise and queue traffic.
   */
  function limitedEvents(request: CanonicalRequest, target: Target, context: AttemptContext): AsyncIterable<StreamEvent> {
    return {
      [Symbol.asyncIterator](): AsyncIterator<StreamEvent> {
        let events: AsyncIterator<StreamEvent> | undefined;
        let reserved: Reserved[] | undefined;
        let usage: Usage | undefined;
        let settled = false;
        const settle = (): Promise<void> => {
          if (settled || !reserved) return SETTLED;
          settled = true;
          return settleDeployment(gate, reserved, usage);
        };
        // Synchronous for every event but the last: an async handler would add a promise per event.
        const seen = (result: IteratorResult<StreamEvent>): IteratorResult<StreamEvent> | Promise<IteratorResult<StreamEvent>> => {
          if (result.done) return settle().then(() => result);
          if (result.value.type === 'usage') usage = result.value.usage;
          return result;
        };
        const failed = (error: unknown): Promise<never> =>
          settle().then(() => {
            throw error;
          });
        const open = async (): Promise<AsyncIterator<StreamEvent>> => {
          reserved = await reserveDeployment(gate, target, estimateRequest(request, [target], lookup()).tokens);
          try {
            events = inner.stream(request, target, context)[Symbol.asyncIterator]();
          } catch (error) {
            return failed(error);
          }
          return events;
        };
        return {
          next: () => (events ? events.next().then(seen, failed) : open().then((opened) => opened.next().then(seen, failed))),
          return: async (value?: unknown): Promise<IteratorResult<StreamEvent>> => {
            try {
              if (events?.return) await events.return(value);
            } finally {
              await settle();
            }
            return { done: true, value: undefined };
          },
        };
      },
    };
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
