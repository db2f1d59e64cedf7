import { describe, expect, it } from 'vitest';
import { mergeDeploymentStatistics } from './merge-statistics.js';

describe('mergeDeploymentStatistics', () => {
  it('weighs averages by recent samples, sums samples and in-flight counts, keeps the freshest observation', () => {
    const merged = mergeDeploymentStatistics([
      { ttftMs: 100, samples: 30, inFlight: 2, observedAt: 5 },
      { ttftMs: 400, totalMs: 900, samples: 5, inFlight: 1, observedAt: 9 },
    ]);
    // Weights 10 (capped) and 5: (100·10 + 400·5) / 15.
    expect(merged).toEqual({ ttftMs: 200, totalMs: 900, samples: 35, inFlight: 3, observedAt: 9 });
  });

  it('leaves out what no replica measured', () => {
    expect(mergeDeploymentStatistics([{ samples: 0, inFlight: 1 }])).toEqual({ samples: 0, inFlight: 1 });
  });
});
