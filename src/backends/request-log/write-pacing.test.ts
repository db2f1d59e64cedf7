import { describe, expect, it } from 'vitest';
import { batchPacer, workerThreadPacing, type WritePacing } from './write-pacing.js';

/** Pacing on a hand-moved clock; `sleep` records its pauses and moves the clock by them. */
function fakePacing(fullBatchRows = 500): WritePacing & { time: number; pauses: number[] } {
  const pacing = {
    sliceMs: 0.3,
    pauseMs: 1,
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
    for (const work of [0.1, 0.1, 0.15, 0.1, 0.1, 0.1]) {
      pacing.time += work;
      afterStatement();
    }
    // 0.35 ms of work before the first pause; the slice then starts again, so the next comes after another 0.3.
    expect(pacing.pauses).toEqual([1, 1]);
  });

  it('never pauses a full batch: the record is behind and the writer runs flat out', () => {
    const pacing = fakePacing(500);
    const afterStatement = batchPacer(pacing, 500);
    for (let i = 0; i < 20; i += 1) {
      pacing.time += 0.5;
      afterStatement();
    }
    expect(pacing.pauses).toEqual([]);
  });

  it('does nothing without pacing', () => {
    expect(() => batchPacer(undefined, 10)()).not.toThrow();
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
