/** Monotonic milliseconds, injected so timing logic is testable. */
export interface Clock {
  now(): number;
}

/** The process's monotonic clock. */
export const systemClock: Clock = { now: () => performance.now() };
