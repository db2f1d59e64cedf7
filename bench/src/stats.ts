/** The q-th percentile (0..100) of values, nearest-rank; NaN when empty. */
export function percentile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((q / 100) * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** The median of values; NaN when empty. */
export function median(values: readonly number[]): number {
  return percentile(values, 50);
}

/** Least-squares slope of y over x (units of y per unit of x); 0 with fewer than two points. */
export function slope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return 0;
  let sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (let i = 0; i < n; i += 1) {
    const x = xs[i] ?? 0;
    const y = ys[i] ?? 0;
    sx += x; sy += y; sxx += x * x; sxy += x * y;
  }
  const denominator = n * sxx - sx * sx;
  return denominator === 0 ? 0 : (n * sxy - sx * sy) / denominator;
}

/**
 * Theil–Sen slope of y over x: the median of the slopes between every pair of points, which one outlier cannot move
 * the way it moves a least-squares fit; 0 with fewer than two points.
 */
export function medianPairSlope(xs: readonly number[], ys: readonly number[]): number {
  const n = Math.min(xs.length, ys.length);
  const slopes: number[] = [];
  for (let i = 0; i < n; i += 1) {
    for (let j = i + 1; j < n; j += 1) {
      const dx = (xs[j] ?? 0) - (xs[i] ?? 0);
      if (dx !== 0) slopes.push(((ys[j] ?? 0) - (ys[i] ?? 0)) / dx);
    }
  }
  return slopes.length === 0 ? 0 : median(slopes);
}

/**
 * The interval that holds the median of grouped samples with the given confidence, from a two-level bootstrap:
 * groups drawn with replacement, then samples within each drawn group. Samples of one group (one process) share that
 * process's state, so resampling samples alone would make the interval look narrower than the data allow.
 */
export function groupedMedianInterval(
  groups: readonly (readonly number[])[],
  confidence: number,
  resamples: number,
  random: { next(): number },
): { low: number; high: number } {
  const filled = groups.filter((group) => group.length > 0);
  if (filled.length === 0) return { low: Number.NaN, high: Number.NaN };
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random.next() * items.length)] as T;
  const medians: number[] = [];
  for (let i = 0; i < resamples; i += 1) {
    const pooled: number[] = [];
    for (let g = 0; g < filled.length; g += 1) {
      const group = pick(filled);
      for (let s = 0; s < group.length; s += 1) pooled.push(pick(group));
    }
    medians.push(median(pooled));
  }
  const tail = ((1 - confidence) / 2) * 100;
  return { low: percentile(medians, tail), high: percentile(medians, 100 - tail) };
}
