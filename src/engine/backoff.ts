import type { Random } from '../core/index.js';
import type { RetryPolicy } from '../config/gateway-config.js';

/**
 * Delay before retry number `retry` (1 = first retry): exponential backoff with full jitter, capped; an upstream
 * retry hint wins when it is longer.
 */
export function backoffDelayMs(retry: number, policy: RetryPolicy, random: Random, retryAfterMs?: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  const jittered = Math.floor(random.next() * ceiling);
  return retryAfterMs !== undefined ? Math.max(retryAfterMs, jittered) : jittered;
}
