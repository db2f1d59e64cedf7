import { createRequire } from 'node:module';
import type { RateLimiterRes } from 'rate-limiter-flexible';
import type { WindowBucket, WindowCounters, WindowState } from '../../ports/window-counters.js';

/** The part of rate-limiter-flexible's in-memory store (the one inside its `RateLimiterMemory`) these counters use. */
interface MemoryStorage {
  incrby(key: string, value: number, durationSec: number): RateLimiterRes;
  get(key: string): RateLimiterRes | null;
}

function isMemoryStorageClass(value: unknown): value is new () => MemoryStorage {
  return typeof value === 'function' && typeof (value.prototype as { incrby?: unknown } | undefined)?.incrby === 'function';
}

// `RateLimiterMemory` wraps this store's synchronous counting in a promise per call, and a governed request makes
// eight calls; the store itself answers at once, so the counters use it directly and a request awaits nothing for its
// limits. The library does not export it from its index, hence the path (pinned by the lockfile, covered by tests).
const loadStorage = createRequire(import.meta.url)('rate-limiter-flexible/lib/component/MemoryStorage/MemoryStorage.js') as unknown;
if (!isMemoryStorageClass(loadStorage)) throw new Error('rate-limiter-flexible no longer provides its MemoryStorage component');
const MemoryStorageClass = loadStorage;

/** Whether a stored window is still running (the library deletes an ended one on a timer, which may lag). */
function live(result: RateLimiterRes | null): result is RateLimiterRes {
  return result !== null && result.msBeforeNext > 0;
}

/**
 * Fixed-window counters in process memory, counted by rate-limiter-flexible's memory store, with the bucket id as
 * its key (ids are unique across limits and windows). Its Redis limiter, behind `SharedWindowCounters`, counts for
 * replicas that share limits.
 */
export class FlexibleWindowCounters implements WindowCounters {
  private readonly storage: MemoryStorage = new MemoryStorageClass();

  consume(bucket: WindowBucket, points: number): WindowState {
    // Taken first and given back when they do not fit: one call into the store on the common path instead of a read
    // and then a write (each makes a result object and reads the clock). Counting is synchronous, so no other
    // request sees the points in between, and a refusal still costs the caller nothing.
    const after = this.storage.incrby(bucket.id, points, bucket.windowMs / 1000);
    const used = after.consumedPoints;
    if (used > bucket.limit) {
      this.storage.incrby(bucket.id, -points, bucket.windowMs / 1000);
      return { allowed: false, remaining: Math.max(0, bucket.limit - (used - points)), resetMs: after.msBeforeNext };
    }
    return { allowed: true, remaining: bucket.limit - used, resetMs: after.msBeforeNext };
  }

  adjust(bucket: WindowBucket, delta: number): void {
    if (delta !== 0) this.storage.incrby(bucket.id, delta, bucket.windowMs / 1000);
  }

  peek(bucket: WindowBucket): WindowState {
    const current = this.storage.get(bucket.id);
    if (!live(current)) return { allowed: true, remaining: bucket.limit, resetMs: bucket.windowMs };
    const remaining = Math.max(0, bucket.limit - current.consumedPoints);
    return { allowed: remaining > 0, remaining, resetMs: current.msBeforeNext };
  }
}
