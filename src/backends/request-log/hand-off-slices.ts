/** Resolves on a later turn of the event loop; injected so tests decide when a turn passes. */
export type NextTurn = () => Promise<void>;

/**
 * `setImmediate` runs after the loop's poll phase, so sockets that became readable while a slice ran are served before
 * the next slice.
 */
export const nextTurn: NextTurn = () => new Promise((resolve) => setImmediate(resolve));

/** Records handed over per event-loop turn at least; about 50 µs of redaction or structured cloning on the gateway thread. */
const MIN_SLICE = 8;
/** Turns a batch's hand-off may span at most, so a large batch under load does not wait dozens of turns to reach its store. */
const MAX_SLICES = 8;

/**
 * How many records of a batch to hand over per turn: at concurrency 1 a flush of ~40 records goes in slices of 8,
 * so a request arriving meanwhile waits for one slice instead of the whole batch (~400 µs); a full batch of 500 goes
 * in 8 slices of 63.
 */
export function handOffSliceSize(batchLength: number): number {
  return Math.max(MIN_SLICE, Math.ceil(batchLength / MAX_SLICES));
}
