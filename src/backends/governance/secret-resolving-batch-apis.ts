import type { ProviderPolicy } from '../../config/gateway-config.js';
import { GatewayError, type Target } from '../../core/index.js';
import type { ProviderBatchApi, ProviderBatchApis } from '../../ports/provider-batch-api.js';
import type { SecretCache } from '../secrets/secret-cache.js';

/**
 * Gives a provider whose `api_key` is a secret reference its current value on every batch API call, as the live
 * path's secret-resolving client does (a rotated key is picked up by the next poll).
 */
export function secretResolvingBatchApis(inner: ProviderBatchApis, policies: () => ReadonlyMap<string, ProviderPolicy>, secrets: SecretCache): ProviderBatchApis {
  const withKey = async (target: Target): Promise<Target> => {
    const reference = policies().get(target.provider.id)?.secretReference;
    if (reference === undefined) return target;
    const apiKey = secrets.current(reference) ?? (await secrets.refresh(reference));
    // The gateway's own failure to read its secret: never blamed on the upstream.
    if (apiKey === undefined) throw new GatewayError('internal_error', `${target.provider.id}: its api_key could not be read from ${reference.split('#')[0] ?? reference}`);
    return { ...target, provider: { ...target.provider, apiKey } };
  };
  const wrap = (api: ProviderBatchApi): ProviderBatchApi => ({
    priceFactor: api.priceFactor,
    submit: async (lines, target, signal) => api.submit(lines, await withKey(target), signal),
    poll: async (id, target, signal) => api.poll(id, await withKey(target), signal),
    async *results(id, target, signal) {
      yield* api.results(id, await withKey(target), signal);
    },
    cancel: async (id, target, signal) => api.cancel(id, await withKey(target), signal),
  });
  return {
    forTarget(target, kind) {
      const api = inner.forTarget(target, kind);
      return api === undefined ? undefined : wrap(api);
    },
  };
}
