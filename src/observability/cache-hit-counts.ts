import type { CacheHitRate } from '../ports/routing-overview.js';

interface Counts {
  hits: number;
  misses: number;
}

function rate({ hits, misses }: Counts): CacheHitRate {
  const lookups = hits + misses;
  return { hits, misses, hitRate: lookups === 0 ? null : Math.round((hits / lookups) * 10_000) / 10_000 };
}

/** Response-cache hits and misses since start, in total and per configured alias (names clients make up are not kept). */
export class CacheHitCounts {
  private readonly total: Counts = { hits: 0, misses: 0 };
  private readonly byAlias = new Map<string, Counts>();

  /** Counts one lookup; `alias` only when the config names it, so the map stays bounded by the config. */
  count(result: 'hit' | 'miss', alias: string | undefined): void {
    const field = result === 'hit' ? 'hits' : 'misses';
    this.total[field]++;
    if (alias === undefined) return;
    let counts = this.byAlias.get(alias);
    if (!counts) {
      counts = { hits: 0, misses: 0 };
      this.byAlias.set(alias, counts);
    }
    counts[field]++;
  }

  overall(): CacheHitRate {
    return rate(this.total);
  }

  of(alias: string): CacheHitRate {
    return rate(this.byAlias.get(alias) ?? { hits: 0, misses: 0 });
  }
}
