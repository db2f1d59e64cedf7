import { performance } from 'node:perf_hooks';

/**
 * How the record's writer thread shares a CPU while it writes a batch. A batch of ~90 records (a 25 ms flush at
 * concurrency 1) is ~2 ms of SQLite work in one run; on a small machine the kernel queues a woken request thread
 * (the gateway's, the upstream's, the client's) behind that run instead of moving it to the other core, and the
 * request waits the whole 2 ms. Between slices of work the writer sleeps, so that whatever waits runs first.
 */
export interface WritePacing {
  /** The least work between two pauses (a statement is never split). */
  sliceMs: number;
  /** How long the writer sleeps between slices: the thread blocks, so the CPU goes to whoever waits for it. */
  pauseMs: number;
  /**
   * How long a batch may take, pauses included: the writer pauses only while the work left, at the rate so far, still
   * fits after the pause, so a batch is written before the sink's next one is due and the record never falls behind
   * for the pauses' sake.
   */
  budgetMs: number;
  /**
   * Batches of at least this many records are written without pauses: a full batch means the record is behind, and it
   * then gets the writer's whole thread (the sink's batch size).
   */
  fullBatchRows: number;
  now(): number;
  /** Blocks the calling thread for `ms`; never called on the thread that serves requests. */
  sleep(ms: number): void;
}

/** A pause of one request's round trip or more: a shorter one let the writer take the CPU back before the request ended. */
const PAUSE_MS = 1;
/**
 * About one statement of ten records. Slices of 0.3 ms left the gateway's p99 at concurrency 1 about 0.15 ms higher:
 * a request woken onto the writer's CPU waits out the slice (docs/benchmarks.md, "The record's writer in shorter
 * slices").
 */
const SLICE_MS = 0.1;
/** A little under the sink's 25 ms flush interval. */
const BUDGET_MS = 20;

/** Pacing for the writer's own worker thread, whose batches come from a sink of `fullBatchRows` records per batch. */
export function workerThreadPacing(fullBatchRows: number): WritePacing {
  // A wait on a word nobody changes blocks the thread without spinning until the timeout wakes it.
  const word = new Int32Array(new SharedArrayBuffer(4));
  return {
    sliceMs: SLICE_MS,
    pauseMs: PAUSE_MS,
    budgetMs: BUDGET_MS,
    fullBatchRows,
    now: () => performance.now(),
    sleep: (ms) => void Atomics.wait(word, 0, 0, ms),
  };
}

/**
 * Called by the writer of a batch of `rows` records before each statement, with the records already written: pauses
 * once a slice's time has passed since the last pause, unless the pause would leave too little of the budget for the
 * work left.
 */
export function batchPacer(pacing: WritePacing | undefined, rows: number): (written: number) => void {
  if (pacing === undefined || rows >= pacing.fullBatchRows) return () => undefined;
  const started = pacing.now();
  let sliceStart = started;
  let paused = 0;
  return (written) => {
    const now = pacing.now();
    if (now - sliceStart < pacing.sliceMs) return;
    const worked = now - started - paused;
    const left = written > 0 ? (worked / written) * (rows - written) : 0;
    if (now - started + pacing.pauseMs + left > pacing.budgetMs) return;
    pacing.sleep(pacing.pauseMs);
    sliceStart = pacing.now();
    paused += sliceStart - now;
  };
}
