import { describe, expect, it } from 'vitest';
import { DAY_MS, dayStart, parsePartitionBound, partitionName, uncoveredDays } from './request-log-partitions.js';

const DAY0 = 1_767_225_600_000;

describe('request log partitions', () => {
  it('names a day by its UTC date and finds the day of any instant in it', () => {
    expect(partitionName(DAY0)).toBe('request_log_p20260101');
    expect(dayStart(DAY0 + DAY_MS - 1)).toBe(DAY0);
    expect(dayStart(DAY0 + DAY_MS)).toBe(DAY0 + DAY_MS);
  });

  it('reads the ranges Postgres prints for a partition, MINVALUE included', () => {
    expect(parsePartitionBound('p', `FOR VALUES FROM ('${DAY0}') TO ('${DAY0 + DAY_MS}')`)).toEqual({ name: 'p', lower: DAY0, upper: DAY0 + DAY_MS });
    expect(parsePartitionBound('legacy', `FOR VALUES FROM (MINVALUE) TO ('${DAY0}')`)).toEqual({ name: 'legacy', lower: -Infinity, upper: DAY0 });
    expect(parsePartitionBound('default', 'DEFAULT')).toBeUndefined();
  });

  it('creates only days no partition covers, the legacy range included', () => {
    const existing = [{ name: 'legacy', lower: -Infinity, upper: DAY0 + DAY_MS }];
    expect(uncoveredDays([DAY0 + DAY_MS, DAY0, DAY0 + DAY_MS], existing)).toEqual([DAY0 + DAY_MS]);
  });
});
