import type { ModelLookup } from '../../catalog/index.js';
import { GatewayError, type CanonicalRequest, type StreamEvent, type Target, type Usage } from '../../core/index.js';
import type { AccessGate } from '../../limits/access-gate.js';
import { estimateRequest, usedTokens } from '../../limits/request-estimate.js';
import type { AttemptContext, ProviderClient } from '../../ports/provider-client.js';
import type { WindowBucket } from '../../ports/window-counters.js';

/**
 * Holds every attempt to a deployment with RPM/TPM limits to them: one request and the estimated tokens are reserved
 * before the call, the tokens settled with the reported usage after it (given back when the attempt failed without
 * usage). A deployment already full refuses with `rate_limited`, which the engine treats as "try the next target"
 * and never as the deployment's failure.
 */
export function deploymentLimitedClient(inner: ProviderClient, gate: AccessGate, lookup: () => ModelLookup): ProviderClient {
  const client: ProviderClient = {
    async *stream(request: CanonicalRequest, target: Target, context: AttemptContext): AsyncIterable<StreamEvent> {
      const buckets = gate.deploymentBuckets(target);
      if (buckets.length === 0) return yield* inner.stream(request, target, context);
      const tokens = estimateRequest(request, [target], lookup()).tokens;
      const reserved: Array<{ bucket: WindowBucket; points: number; kind: 'requests' | 'tokens' }> = [];
      for (const { bucket, kind } of buckets) {
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
      let usage: Usage | undefined;
      try {
        for await (const event of inner.stream(request, target, context)) {
          if (event.type === 'usage') usage = event.usage;
          yield event;
        }
      } finally {
        const used = usedTokens(usage) ?? 0;
        for (const entry of reserved) if (entry.kind === 'tokens') await gate.adjust(entry.bucket, used - entry.points);
      }
    },
  };
  if (inner.embed) client.embed = inner.embed.bind(inner);
  return client;
}
