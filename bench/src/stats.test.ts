import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/random.js';
import { groupedMedianInterval } from './stats.js';

describe('groupedMedianInterval', () => {
  it('is a point when every sample is the same', () => {
    expect(groupedMedianInterval([[0.9, 0.9], [0.9, 0.9, 0.9]], 0.9, 500, seededRandom(1))).toEqual({ low: 0.9, high: 0.9 });
  });

  it('widens when one group sits apart, which resampling the samples alone would hide', () => {
    const groups = [Array(10).fill(0.95), Array(10).fill(0.96), Array(10).fill(0.97), Array(10).fill(0.8)];
    const grouped = groupedMedianInterval(groups, 0.9, 2000, seededRandom(7));
    const flat = groupedMedianInterval([groups.flat()], 0.9, 2000, seededRandom(7));
    expect(grouped.low).toBe(0.8);
    expect(flat.low).toBe(0.95);
    expect(grouped.high).toBeGreaterThanOrEqual(0.96);
  });

  it('is NaN without samples', () => {
    expect(groupedMedianInterval([[], []], 0.9, 10, seededRandom(1))).toEqual({ low: Number.NaN, high: Number.NaN });
  });
});
