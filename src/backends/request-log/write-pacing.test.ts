import { describe, expect, it } from 'vitest';
import { batchPacer, workerThreadPacing, type WritePacing } from './write-pacing.js';

/** Pacing on a hand-moved clock; `sleep` records its pauses and moves the clock by them. */
function fakePacing(fullBatchRows = 500, budgetMs = 1000): WritePacing & { time: number; pauses: number[] } {
  const pacing = {
    sliceMs: 0.3,
    pauseMs: 1,
    budgetMs,
    fullBatchRows,
    time: 0,
    pauses: [] as number[],
    now: () => pacing.time,
    sleep: (ms: number) => {
      pacing.pauses.push(ms);
      pacing.time += ms;
    },
  };
  return pacing;
}

describe('batchPacer', () => {
  it('pauses before a statement once a slice of work has passed since the last pause', () => {
    const pacing = fakePacing();
    const afterStatement = batchPacer(pacing, 100);
    for (const [index, work] of [0.1, 0.1, 0.15, 0.1, 0.1, 0.1].entries()) {
      pacing.time += work;
      afterStatement((index + 1) * 10);
    }
    // 0.35 ms of work before the first pause; the slice then starts again, so the next comes after another 0.3.
    expect(pacing.pauses).toEqual([1, 1]);
  });

  it('never pauses a full batch: the record is behind and the writer runs flat out', () => {
    const pacing = fakePacing(500);
    const afterStatement = batchPacer(pacing, 500);
    for (let i = 0; i < 20; i += 1) {
      pacing.time += 0.5;
      afterStatement(i * 25);
    }
    expect(pacing.pauses).toEqual([]);
  });

  it('stops pausing once a pause would leave too little of the budget for the work left at the rate so far', () => {
    const pacing = fakePacing(500, 10);
    const beforeStatement = batchPacer(pacing, 100);
    // Ten statements of ten records, 0.5 ms each: 5 ms of work, so five 1 ms pauses fit in the 10 ms budget, not ten.
    for (let statement = 0; statement < 10; statement += 1) {
      beforeStatement(statement * 10);
      pacing.time += 0.5;
    }
    expect(pacing.pauses).toEqual([1, 1, 1, 1, 1]);
    expect(pacing.time).toBeLessThanOrEqual(10);
  });

  it('does nothing without pacing', () => {
    expect(() => batchPacer(undefined, 10)(0)).not.toThrow();
  });
});

describe('workerThreadPacing', () => {
  it('sleeps for real, blocking the thread for about the pause', () => {
    const pacing = workerThreadPacing(500);
    const started = pacing.now();
    pacing.sleep(5);
    expect(pacing.now() - started).toBeGreaterThanOrEqual(4);
    expect(pacing.fullBatchRows).toBe(500);
  });
});
