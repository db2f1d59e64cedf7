import { Pool } from 'undici';
import { trackingConnector } from './connection-reuse.js';

/** Pool tuning shared by every upstream origin. */
export interface PoolOptions {
  connections?: number;
  connectTimeoutMs?: number;
}

/**
 * One keep-alive undici Pool per upstream origin (and connect timeout, which undici fixes per pool), created on first
 * use or at warm-up and reused for the process lifetime.
 */
export class UpstreamPools {
  /**
   * By origin, then connect timeout. Not one map under an `origin|timeout` string: that string, new on every request,
   * had V8 hash all its characters for each lookup, where an origin comes from the provider's parsed base URL, one
   * string whose hash V8 keeps.
   */
  private readonly pools = new Map<string, Map<number, Pool>>();

  constructor(private readonly options: PoolOptions = {}) {}

  /** The pool for an origin such as `https://api.openai.com`. */
  get(origin: string, connectTimeoutMs: number = this.options.connectTimeoutMs ?? 10_000): Pool {
    let byTimeout = this.pools.get(origin);
    if (!byTimeout) {
      byTimeout = new Map();
      this.pools.set(origin, byTimeout);
    }
    let pool = byTimeout.get(connectTimeoutMs);
    if (!pool) {
      pool = new Pool(origin, {
        // Each open stream holds a connection for its whole life; a low cap would queue the 257th stream behind them.
        connections: this.options.connections ?? 4096,
        pipelining: 1,
        keepAliveTimeout: 30_000,
        keepAliveMaxTimeout: 600_000,
        connect: trackingConnector({ timeout: connectTimeoutMs }),
        headersTimeout: 0,
        bodyTimeout: 0,
      });
      byTimeout.set(connectTimeoutMs, pool);
    }
    return pool;
  }

  /** Open connections per origin, for metrics and the admin view. */
  stats(): Array<{ origin: string; connected: number; running: number; pending: number }> {
    return [...this.pools].flatMap(([origin, byTimeout]) =>
      [...byTimeout.values()].map((pool) => ({ origin, connected: pool.stats.connected, running: pool.stats.running, pending: pool.stats.pending })),
    );
  }

  /**
   * Opens a keep-alive connection to each origin ahead of traffic (a HEAD request whose answer is ignored), so the
   * first request and the first failover pay no TCP/TLS handshake. Resolves with the origins that answered.
   */
  async warm(origins: Iterable<{ baseUrl: string; connectTimeoutMs?: number }>, timeoutMs = 3000): Promise<string[]> {
    const seen = new Map<string, { path: string; connectTimeoutMs?: number }>();
    for (const { baseUrl, connectTimeoutMs } of origins) {
      const url = new URL(baseUrl);
      if (url.protocol === 'http:' || url.protocol === 'https:') seen.set(`${url.origin}|${connectTimeoutMs ?? ''}`, { path: url.pathname || '/', connectTimeoutMs });
    }
    const results = await Promise.all(
      [...seen].map(async ([key, { path, connectTimeoutMs }]) => {
        const origin = key.slice(0, key.lastIndexOf('|'));
        try {
          // undici sends `connection: close` with a HEAD unless told otherwise, which would close what we came to open.
          const response = await this.get(origin, connectTimeoutMs).request({ origin, path, method: 'HEAD', reset: false, signal: AbortSignal.timeout(timeoutMs) });
          await response.body.dump();
          return origin;
        } catch {
          return undefined;
        }
      }),
    );
    return results.filter((origin): origin is string => origin !== undefined);
  }

  /** Closes every pool, letting in-flight requests finish. */
  async close(): Promise<void> {
    await Promise.all([...this.pools.values()].flatMap((byTimeout) => [...byTimeout.values()].map((pool) => pool.close())));
    this.pools.clear();
  }
}
