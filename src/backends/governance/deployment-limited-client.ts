import type { ModelLookup } from '../../catalog/index.js';
import { GatewayError, type CanonicalRequest, type EmbeddingRequest, type StreamEvent, type Target, type Usage } from '../../core/index.js';
import type { AccessGate, DeploymentBucket } from '../../limits/access-gate.js';
import { estimateEmbedding, estimateTargetTokens, usedTokens } from '../../limits/request-estimate.js';
import type { AttemptContext, ProviderClient } from '../../ports/provider-client.js';

/** A stream whose first read fails with `error`: a refusal is the attempt's failure, not a throw from `stream()`. */
function refused(error: unknown): AsyncIterable<StreamEvent> {
  return {
    [Symbol.asyncIterator]: () => ({ next: () => Promise.reject(error) }),
  };
}

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

/**
 * Holds every attempt to a deployment with RPM/TPM limits to them, generations and embeddings alike: one request and
 * the estimated tokens are reserved before the call, the tokens settled with the reported usage after it (given back
 * when the attempt failed without usage). A deployment already full refuses with `rate_limited`, which the engine
 * treats as "try the next target" and never as the deployment's failure.
 */
export function deploymentLimitedClient(inner: ProviderClient, gate: AccessGate, lookup: () => ModelLookup): ProviderClient {
  const client: ProviderClient = {
    stream(request: CanonicalRequest, target: Target, context: AttemptContext): AsyncIterable<StreamEvent> {
      // A deployment without limits gets its stream passed on as it is.
      const buckets = gate.deploymentBuckets(target);
      if (buckets.length === 0) return inner.stream(request, target, context);
      const { whenDone } = context;
      if (!whenDone) return refused(new GatewayError('internal_error', 'a deployment-limited stream needs the engine to say when its attempt is over'));
      let tokens: number;
      let reserved: DeploymentBucket[];
      try {
        tokens = estimateTargetTokens(request, target, lookup);
        reserved = reserveDeployment(gate, target, buckets, tokens);
      } catch (error) {
        return refused(error);
      }
      // The engine runs this once the attempt is over, with the usage it saw: no layer of its own over every batch.
      whenDone((usage) => settleDeployment(gate, reserved, tokens, usage));
      return inner.stream(request, target, context);
    },
  };
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
