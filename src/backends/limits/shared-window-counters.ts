import type { Redis } from 'ioredis';
import { RateLimiterRedis, type RateLimiterRes } from 'rate-limiter-flexible';
import type { Clock } from '../../core/index.js';
import type { IntervalTimer } from '../../ports/interval-timer.js';
import type { WindowBucket, WindowCounters, WindowState } from '../../ports/window-counters.js';

/** How shared window counters reach Redis. */
export interface SharedWindowOptions {
  redis: Redis;
  /** Namespaces the limiter keys (`<prefix>rl:<limit>/<window>:<bucket id>`). */
  prefix: string;
  clock: Clock;
  timer: IntervalTimer;
  /** How often each bucket's local consumption is pushed and the fleet's total read back. */
  syncIntervalMs: number;
  /**
   * `limits.on_backend_error` is `closed`: while Redis is unreachable, consume and peek fail (the gate refuses) instead
   * of counting on this replica alone. Read per request, so a reload applies.
   */
  failClosed(): boolean;
}

/** One bucket as this replica sees it. */
interface LocalBucket {
  bucket: WindowBucket;
  /** The fleet's consumption in this window at the last sync (this replica's pushed points included). */
  shared: number;
  /** Points consumed (or given back, when negative) here since the last push. */
  unsent: number;
  /** Points of a push still on the wire. */
  sending: number;
  /** When the window ends, on this replica's clock (Redis's TTL of the counter, read back at each sync). */
  resetAt: number;
}

/**
 * RPM/TPM windows shared by every replica through rate-limiter-flexible's Redis limiter, answered from memory: a
 * consume is decided on the fleet total read at the last sync plus what this replica consumed since, and the points
 * are pushed (`penalty`/`reward`, an atomic INCRBY) on the next sync, whose answer is the new fleet total. Redis is
 * never awaited on the request path. The price is a bounded overshoot: between two syncs every other replica may
 * admit what it alone thinks is left (docs/operations.md, "Scaling out"). While Redis is unreachable each replica keeps
 * counting on its own and pushes what it counted when Redis returns, unless `limits.on_backend_error` is `closed`.
 */
export class SharedWindowCounters implements WindowCounters {
  private readonly buckets = new Map<string, LocalBucket>();
  private readonly limiters = new Map<string, RateLimiterRedis>();
  private readonly stopTimer: () => void;
  private syncing: Promise<void> | undefined;
  /** The last push or read failed: Redis is unreachable. */
  private unreachable = false;

  constructor(private readonly options: SharedWindowOptions) {
    this.stopTimer = options.timer.every(options.syncIntervalMs, () => void this.sync());
  }

  consume(bucket: WindowBucket, points: number): WindowState {
    this.checkReachable();
    const local = this.localOf(bucket);
    const used = local.shared + local.unsent + local.sending;
    const resetMs = Math.max(0, local.resetAt - this.options.clock.now());
    if (used + points > bucket.limit) return { allowed: false, remaining: Math.max(0, bucket.limit - used), resetMs };
    local.unsent += points;
    return { allowed: true, remaining: bucket.limit - used - points, resetMs };
  }

  adjust(bucket: WindowBucket, delta: number): void {
    this.localOf(bucket).unsent += delta;
  }

  peek(bucket: WindowBucket): WindowState {
    this.checkReachable();
    const local = this.localOf(bucket);
    const remaining = Math.max(0, bucket.limit - (local.shared + local.unsent + local.sending));
    return { allowed: remaining > 0, remaining, resetMs: Math.max(0, local.resetAt - this.options.clock.now()) };
  }

  /** Pushes every bucket's local points and reads the fleet totals back; one sync at a time. */
  sync(): Promise<void> {
    this.syncing ??= this.syncAll().finally(() => {
      this.syncing = undefined;
    });
    return this.syncing;
  }

  /** Stops the timer and pushes what is still unsent (best effort). */
  async close(): Promise<void> {
    this.stopTimer();
    await this.sync();
  }

  private async syncAll(): Promise<void> {
    const now = this.options.clock.now();
    const work: Array<Promise<void>> = [];
    for (const [id, local] of this.buckets) {
      if (local.resetAt <= now && local.unsent === 0) {
        // An idle bucket whose window ended: the next consume starts it afresh.
        this.buckets.delete(id);
        continue;
      }
      work.push(this.syncBucket(local));
    }
    if (work.length === 0) await this.probe();
    else await Promise.all(work);
  }

  /**
   * With no bucket to push, only a ping can tell whether Redis answers: without it, a replica refusing requests
   * (`closed`) whose windows all ended during an outage would never learn that Redis came back.
   */
  private async probe(): Promise<void> {
    if (!this.unreachable && this.options.redis.status === 'ready') return;
    try {
      await this.options.redis.ping();
      this.unreachable = false;
    } catch {
      this.unreachable = true;
    }
  }

  private async syncBucket(local: LocalBucket): Promise<void> {
    // rate-limiter-flexible counts whole points.
    const delta = Math.round(local.unsent);
    local.unsent -= delta;
    local.sending = delta;
    const limiter = this.limiterFor(local.bucket);
    const id = local.bucket.id;
    let result: RateLimiterRes | null;
    try {
      result = delta > 0 ? await limiter.penalty(id, delta) : delta < 0 ? await limiter.reward(id, -delta) : await limiter.get(id);
    } catch {
      // Redis unreachable (the state store reports it): keep the points for the next push and count locally meanwhile.
      local.unsent += delta;
      local.sending = 0;
      this.unreachable = true;
      return;
    }
    this.unreachable = false;
    local.sending = 0;
    const now = this.options.clock.now();
    if (!result) {
      // Nothing counted in Redis: its window ended (or never began) everywhere.
      local.shared = 0;
      if (local.resetAt <= now) local.resetAt = now + local.bucket.windowMs;
      return;
    }
    local.shared = result.consumedPoints;
    if (result.msBeforeNext > 0) local.resetAt = now + result.msBeforeNext;
  }

  private checkReachable(): void {
    if (this.unreachable && this.options.failClosed()) throw new Error('Redis is unreachable: the shared rate-limit windows cannot be counted');
  }

  private localOf(bucket: WindowBucket): LocalBucket {
    const now = this.options.clock.now();
    let local = this.buckets.get(bucket.id);
    if (!local || (local.resetAt <= now && local.sending === 0)) {
      local = { bucket, shared: 0, unsent: 0, sending: 0, resetAt: now + bucket.windowMs };
      this.buckets.set(bucket.id, local);
    }
    // A reload may change the limit; the window's count stays.
    local.bucket = bucket;
    return local;
  }

  private limiterFor(bucket: WindowBucket): RateLimiterRedis {
    const id = `${bucket.limit}/${bucket.windowMs}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      limiter = new RateLimiterRedis({
        storeClient: this.options.redis,
        keyPrefix: `${this.options.prefix}rl`,
        points: bucket.limit,
        duration: bucket.windowMs / 1000,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }
}
