import type { CanonicalRequest, StreamEvent } from '../core/index.js';
import type { GatewayConfig } from '../config/gateway-config.js';
import type { CallOptions, CompletionExecution } from '../ports/gateway-service.js';
import type { CachedResponse, ResponseCache } from '../ports/response-cache.js';
import { findRoute } from '../routing/resolve-route.js';
import { responseCacheKey } from '../routing/response-cache-key.js';

/** Where and for how long one request's answer is cached; undefined when the request does not use the cache. */
export interface CachePlan {
  key: string;
  ttlMs: number;
  /** `refresh`: skip the lookup, call upstream and overwrite the entry. */
  refresh: boolean;
}

/**
 * Whether a request uses the cache: its alias opted in with `cache`, or the client sent `x-switchyard-cache: use` or
 * `refresh` (then with the default TTL); `skip` always bypasses it. Plain synchronous work, so a request without
 * caching pays no await for it.
 */
export function planCache(request: CanonicalRequest, options: CallOptions, config: GatewayConfig): CachePlan | undefined {
  if (options.cache === 'skip') return undefined;
  const configured = findRoute(request.model, config)?.cache?.ttlMs;
  const ttlMs = configured ?? (options.cache === undefined ? undefined : config.cache.ttlMs);
  if (ttlMs === undefined) return undefined;
  const key = responseCacheKey(request);
  return key === undefined ? undefined : { key, ttlMs, refresh: options.cache === 'refresh' };
}

async function* replay(events: readonly StreamEvent[]): AsyncIterable<StreamEvent> {
  yield* events;
}

/** Passes the events on and keeps them; a finished answer without an error is stored once the stream ends. */
async function* storeWhenFinished(events: AsyncIterable<StreamEvent>, store: (kept: StreamEvent[]) => void): AsyncIterable<StreamEvent> {
  const kept: StreamEvent[] = [];
  let finished = false;
  for await (const event of events) {
    if (event.type === 'error') finished = false;
    else {
      kept.push(event);
      if (event.type === 'finish') finished = true;
    }
    yield event;
  }
  if (finished) store(kept);
}

/** A cached answer as a served execution: no attempts, no upstream time, zero cost. Undefined when its provider is gone. */
function hitExecution(hit: CachedResponse, config: GatewayConfig): CompletionExecution | undefined {
  const provider = config.providers.get(hit.providerId);
  if (!provider) return undefined;
  return {
    target: { provider, model: hit.model },
    attempts: [],
    decisions: [{ providerId: hit.providerId, model: hit.model, action: 'try', reason: 'response cache hit' }],
    warnings: hit.events.flatMap((event) => (event.type === 'warning' ? [event.warning] : [])),
    events: replay(hit.events),
    upstreamMs: () => 0,
    costOf: () => 0,
    cacheSavingOf: () => undefined,
    cache: 'hit',
  };
}

/** What admitting a cache hit yields: limit headers and the (cost-free) settlement; it throws the 403/429 of a refusal. */
export type AdmitCacheHit = () => Promise<Pick<CompletionExecution, 'limitHeaders' | 'settle'>>;

/**
 * Serves a request from the cache once `admitHit` lets the hit through, or runs it and stores its finished answer.
 * A failing cache never fails the request.
 */
export async function completeThroughCache(
  cache: ResponseCache,
  plan: CachePlan,
  config: GatewayConfig,
  run: () => Promise<CompletionExecution>,
  admitHit: AdmitCacheHit,
): Promise<CompletionExecution> {
  if (!plan.refresh) {
    const hit = await cache.get(plan.key).catch(() => undefined);
    const served = hit ? hitExecution(hit, config) : undefined;
    if (served) return { ...served, ...(await admitHit()) };
  }
  const execution = await run();
  const store = (events: StreamEvent[]): void => {
    const entry: CachedResponse = { providerId: execution.target.provider.id, model: execution.target.model, events };
    cache.set(plan.key, entry, plan.ttlMs).catch(() => undefined);
  };
  return { ...execution, events: storeWhenFinished(execution.events, store), cache: 'miss' };
}
