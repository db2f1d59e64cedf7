import type { WindowBucket, WindowState } from '../ports/window-counters.js';

/** A bucket a request consumed from, with the state it left. */
export interface ConsumedBucket {
  bucket: WindowBucket;
  kind: 'requests' | 'tokens';
  state: WindowState;
}

/**
 * `x-ratelimit-*` headers in OpenAI's naming, from the tightest request and token buckets the request touched:
 * limit, remaining, and time to reset (`12s`).
 */
export function rateLimitHeaders(consumed: readonly ConsumedBucket[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of ['requests', 'tokens'] as const) {
    let tightest: ConsumedBucket | undefined;
    for (const entry of consumed) if (entry.kind === kind && (!tightest || entry.state.remaining < tightest.state.remaining)) tightest = entry;
    if (!tightest) continue;
    headers[`x-ratelimit-limit-${kind}`] = String(tightest.bucket.limit);
    headers[`x-ratelimit-remaining-${kind}`] = String(tightest.state.remaining);
    headers[`x-ratelimit-reset-${kind}`] = `${Math.max(0, Math.ceil(tightest.state.resetMs / 1000))}s`;
  }
  return headers;
}
