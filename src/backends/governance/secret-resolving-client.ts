import type { ProviderPolicy } from '../../config/gateway-config.js';
import { GatewayError, type CanonicalRequest, type StreamEvent, type Target } from '../../core/index.js';
import type { AttemptContext, ProviderClient } from '../../ports/provider-client.js';
import type { SecretCache } from '../secrets/secret-cache.js';

function withKey(target: Target, apiKey: string): Target {
  return { ...target, provider: { ...target.provider, apiKey } };
}

function unavailable(target: Target, reference: string): GatewayError {
  // The gateway's own failure to read its secret: never blamed on the upstream.
  return new GatewayError('internal_error', `${target.provider.id}: its api_key could not be read from ${reference.split('#')[0] ?? reference}`);
}

function isUpstream401(error: unknown): boolean {
  return error instanceof GatewayError && error.code === 'upstream_authentication';
}

/**
 * Gives a provider whose `api_key` is a secret reference its current value at call time. When the provider refuses
 * the key before answering (401/403), the secret is read again at once and, if it changed (a rotation), the call is
 * retried once with the new value.
 */
export function secretResolvingClient(inner: ProviderClient, policies: () => ReadonlyMap<string, ProviderPolicy>, secrets: SecretCache): ProviderClient {
  const referenceOf = (target: Target): string | undefined => policies().get(target.provider.id)?.secretReference;
  const keyFor = async (target: Target): Promise<{ reference: string; value: string } | undefined> => {
    const reference = referenceOf(target);
    if (reference === undefined) return undefined;
    const value = secrets.current(reference) ?? (await secrets.refresh(reference));
    if (value === undefined) throw unavailable(target, reference);
    return { reference, value };
  };
  const rotated = async (reference: string, used: string): Promise<string | undefined> => {
    // Another request's 401 may already have read the new value: use it rather than reading again.
    const held = secrets.current(reference);
    if (held !== undefined && held !== used) return held;
    const fresh = await secrets.refresh(reference);
    return fresh !== undefined && fresh !== used ? fresh : undefined;
  };
  const client: ProviderClient = {
    stream(request: CanonicalRequest, target: Target, context: AttemptContext): AsyncIterable<StreamEvent> {
      // A key written in the config needs nothing at call time: its stream is passed on without another async layer.
      return referenceOf(target) === undefined ? inner.stream(request, target, context) : resolvedStream(request, target, context);
    },
  };
  async function* resolvedStream(request: CanonicalRequest, target: Target, context: AttemptContext): AsyncIterable<StreamEvent> {
    const key = await keyFor(target);
    if (!key) return yield* inner.stream(request, target, context);
    let started = false;
    try {
      for await (const event of inner.stream(request, withKey(target, key.value), context)) {
        started = true;
        yield event;
      }
    } catch (error) {
      if (started || !isUpstream401(error)) throw error;
      const fresh = await rotated(key.reference, key.value);
      if (fresh === undefined) throw error;
      yield* inner.stream(request, withKey(target, fresh), context);
    }
  }
  const embed = inner.embed?.bind(inner);
  if (embed) {
    client.embed = async (request, target, context) => {
      const key = await keyFor(target);
      if (!key) return embed(request, target, context);
      try {
        return await embed(request, withKey(target, key.value), context);
      } catch (error) {
        const fresh = isUpstream401(error) ? await rotated(key.reference, key.value) : undefined;
        if (fresh === undefined) throw error;
        return embed(request, withKey(target, fresh), context);
      }
    };
  }
  return client;
}
