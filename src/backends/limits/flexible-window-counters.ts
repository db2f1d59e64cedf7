import { RateLimiterMemory, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { WindowBucket, WindowCounters, WindowState } from '../../ports/window-counters.js';

/** rate-limiter-flexible rejects with a RateLimiterRes when points do not fit, and with an Error when its store fails. */
function rejectedState(error: unknown): RateLimiterRes {
  if (error instanceof RateLimiterRes) return error;
  throw error;
}

/** A bucket's limiter and the handler that turns its `get` into a state, made once per bucket object. */
interface BucketLimiter {
  limiter: RateLimiterAbstract;
  peeked: (result: RateLimiterRes | null) => WindowState;
}

function ignore(): void {}

function allowedState(result: RateLimiterRes): WindowState {
  return { allowed: true, remaining: result.remainingPoints, resetMs: result.msBeforeNext };
}

/**
 * Fixed-window counters on rate-limiter-flexible, one limiter per distinct (limit, window) and the bucket id as its
 * key. Process memory today; its Redis limiter has the same interface for replicas that must share limits. Each call
 * is the library's promise with one `then` on it (no async function around it): a governed request makes eight of
 * these calls, and each async layer was a promise, a suspended frame and a microtask more.
 */
export class FlexibleWindowCounters implements WindowCounters {
  private readonly limiters = new Map<string, RateLimiterAbstract>();
  /** The limiter of each bucket object seen; the gate keeps its buckets, so this spares an id string per call. */
  private readonly byBucket = new WeakMap<WindowBucket, BucketLimiter>();

  /** `create` builds a limiter for a limit and window; default the in-memory one. */
  constructor(
    // No key prefix: each limiter keeps its own memory, so the bucket id alone is unique, and the library would
    // otherwise build (and hash) a `prefix:id` string on every call.
    private readonly create: (points: number, durationSeconds: number) => RateLimiterAbstract = (points, duration) =>
      new RateLimiterMemory({ points, duration, keyPrefix: '' }),
  ) {}

  consume(bucket: WindowBucket, points: number): Promise<WindowState> {
    const { limiter } = this.limiterFor(bucket);
    return limiter.consume(bucket.id, points).then(allowedState, (error: unknown) => this.refused(limiter, bucket, points, error));
  }

  adjust(bucket: WindowBucket, delta: number): Promise<void> {
    if (delta === 0) return Promise.resolve();
    const { limiter } = this.limiterFor(bucket);
    // The library's promise resolves to the new state, which a settlement does not need.
    return delta > 0 ? limiter.penalty(bucket.id, delta).then(ignore) : limiter.reward(bucket.id, -delta).then(ignore);
  }

  peek(bucket: WindowBucket): Promise<WindowState> {
    const { limiter, peeked } = this.limiterFor(bucket);
    return limiter.get(bucket.id).then(peeked);
  }

  /** A consume the library rejected: points that did not fit (given back, so a refusal costs nothing), or a failure. */
  private async refused(limiter: RateLimiterAbstract, bucket: WindowBucket, points: number, error: unknown): Promise<WindowState> {
    const rejected = rejectedState(error);
    // The library keeps rejected points counted; give them back so a refusal costs the caller nothing.
    if (points > 0) await limiter.reward(bucket.id, points);
    return { allowed: false, remaining: Math.max(0, rejected.remainingPoints), resetMs: rejected.msBeforeNext };
  }

  private limiterFor(bucket: WindowBucket): BucketLimiter {
    const known = this.byBucket.get(bucket);
    if (known) return known;
    const id = `${bucket.limit}/${bucket.windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = this.create(bucket.limit, bucket.windowMs / 1000);
      this.limiters.set(id, limiter);
    }
    const peeked = (result: RateLimiterRes | null): WindowState => {
      if (!result) return { allowed: true, remaining: bucket.limit, resetMs: bucket.windowMs };
      const remaining = Math.max(0, bucket.limit - result.consumedPoints);
      return { allowed: remaining > 0, remaining, resetMs: result.msBeforeNext };
    };
    const made: BucketLimiter = { limiter, peeked };
    this.byBucket.set(bucket, made);
    return made;
  }
}
