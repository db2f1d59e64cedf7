/** Runs background work on an interval; injected, so tests drive it without waiting and shutdown stops all of it. */
export interface IntervalTimer {
  /** Calls `task` every `intervalMs` until the returned function is called. */
  every(intervalMs: number, task: () => void): () => void;
}
