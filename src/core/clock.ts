/** Monotonic milliseconds, injected so timing logic is testable. */
export interface Clock {
  now(): number;
}

/** The process's monotonic clock. */
export const systemClock: Clock = { now: () => performance.now() };

/**
 * Wall-clock epoch milliseconds, for times that other processes read: a breaker's `openedAt` travels to every replica
 * through the shared state, where another process's monotonic clock (counted from its own start) would misplace it.
 */
export const wallClock: Clock = { now: () => Date.now() };
