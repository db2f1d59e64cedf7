import { Pool } from 'undici';

/** Pool tuning shared by every upstream origin. */
export interface PoolOptions {
  connections?: number;
  connectTimeoutMs?: number;
}

/** One keep-alive undici Pool per upstream origin, created on first use and reused for the process lifetime. */
export class UpstreamPools {
  private readonly pools = new Map<string, Pool>();

  constructor(private readonly options: PoolOptions = {}) {}

  /** The pool for an origin such as `https://api.openai.com`. */
  get(origin: string): Pool {
    let pool = this.pools.get(origin);
    if (!pool) {
      pool = new Pool(origin, {
        connections: this.options.connections ?? 256,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        connectTimeout: this.options.connectTimeoutMs ?? 10_000,
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      this.pools.set(origin, pool);
    }
    return pool;
  }

  /** Open connections per origin, for metrics and the admin view. */
  stats(): Array<{ origin: string; connected: number; running: number; pending: number }> {
    return [...this.pools].map(([origin, pool]) => ({
      origin,
      connected: pool.stats.connected,
      running: pool.stats.running,
      pending: pool.stats.pending,
    }));
  }

  /** Closes every pool, letting in-flight requests finish. */
  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].map((pool) => pool.close()));
    this.pools.clear();
  }
}
