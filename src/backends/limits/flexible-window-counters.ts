import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { WindowBucket, WindowCounters, WindowState } from '../../ports/window-counters.js';

/** rate-limiter-flexible rejects with a RateLimiterRes when points do not fit, and with an Error when its store fails. */
function rejectedState(error: unknown): RateLimiterRes {
  if (error instanceof RateLimiterRes) return error;
  throw error;
}

/**
 * Fixed-window counters on rate-limiter-flexible, one limiter per distinct (limit, window) and the bucket id as its
 * key. Process memory today; its Redis limiter has the same interface for replicas that must share limits.
 */
export class FlexibleWindowCounters implements WindowCounters {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  /** The limiter of each bucket object seen; the gate keeps its buckets, so this spares an id string per call. */
  private readonly byBucket = new WeakMap<WindowBucket, RateLimiterAbstract>();

  /** `create` builds a limiter for a limit and window; default the in-memory one. */
  constructor(
    private readonly create: (points: number, durationSeconds: number) => RateLimiterAbstract = (points, duration) =>
      new RateLimiterMemory({ points, duration }),
  ) {}

  async consume(bucket: WindowBucket, points: number): Promise<WindowState> {
    const limiter = this.limiterFor(bucket);
    let result: RateLimiterRes;
    try {
      result = await limiter.consume(bucket.id, points);
    } catch (error) {
      const rejected = rejectedState(error);
      // The library keeps rejected points counted; give them back so a refusal costs the caller nothing.
      if (points > 0) await limiter.reward(bucket.id, points);
      return { allowed: false, remaining: Math.max(0, rejected.remainingPoints), resetMs: rejected.msBeforeNext };
    }
    return { allowed: true, remaining: result.remainingPoints, resetMs: result.msBeforeNext };
  }

  async adjust(bucket: WindowBucket, delta: number): Promise<void> {
    if (delta === 0) return;
    const limiter = this.limiterFor(bucket);
    if (delta > 0) await limiter.penalty(bucket.id, delta);
    else await limiter.reward(bucket.id, -delta);
  }

  async peek(bucket: WindowBucket): Promise<WindowState> {
    const result = await this.limiterFor(bucket).get(bucket.id);
    if (!result) return { allowed: true, remaining: bucket.limit, resetMs: bucket.windowMs };
    const remaining = Math.max(0, bucket.limit - result.consumedPoints);
    return { allowed: remaining > 0, remaining, resetMs: result.msBeforeNext };
  }

  private limiterFor(bucket: WindowBucket): RateLimiterAbstract {
    const known = this.byBucket.get(bucket);
    if (known) return known;
    const id = `${bucket.limit}/${bucket.windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.create(bucket.limit, bucket.windowMs / 1000);
      this.limiters.set(id, limiter);
    }
    this.byBucket.set(bucket, limiter);
    return limiter;
  }
}
