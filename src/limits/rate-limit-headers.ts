import type { WindowBucket, WindowState } from '../ports/window-counters.js';

/** A bucket a request consumed from, with the state it left. */
export interface ConsumedBucket {
  bucket: WindowBucket;
  kind: 'requests' | 'tokens';
  state: WindowState;
}

const KINDS = ['requests', 'tokens'] as const;

/** The header names of each kind, spelled once rather than per request. */
const HEADER_NAMES = {
  requests: { limit: 'x-ratelimit-limit-requests', remaining: 'x-ratelimit-remaining-requests', reset: 'x-ratelimit-reset-requests' },
  tokens: { limit: 'x-ratelimit-limit-tokens', remaining: 'x-ratelimit-remaining-tokens', reset: 'x-ratelimit-reset-tokens' },
} as const;

/**
 * `x-ratelimit-*` headers in OpenAI's naming, from the tightest request and token buckets the request touched:
 * limit, remaining, and time to reset (`12s`).
 */
export function rateLimitHeaders(consumed: readonly ConsumedBucket[]): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const kind of KINDS) {
    let tightest: ConsumedBucket | undefined;
    for (const entry of consumed) if (entry.kind === kind && (!tightest || entry.state.remaining < tightest.state.remaining)) tightest = entry;
    if (!tightest) continue;
    const names = HEADER_NAMES[kind];
    headers[names.limit] = String(tightest.bucket.limit);
    headers[names.remaining] = String(tightest.state.remaining);
    headers[names.reset] = `${Math.max(0, Math.ceil(tightest.state.resetMs / 1000))}s`;
  }
  return headers;
}
