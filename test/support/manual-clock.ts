import type { Clock } from '../../src/core/index.js';

/** A Clock that moves only when a test advances it, so cooldowns and expiries pass without waiting. */
export interface ManualClock extends Clock {
  advance(ms: number): void;
}

/** A manual clock starting at `startMs`. */
export function manualClock(startMs = 1_000_000): ManualClock {
  let now = startMs;
  return {
    now: () => now,
    advance(ms: number): void {
      now += ms;
    },
  };
}
