/** One fixed-window counter: an id (`key:…:rpm`, `alias:…:tpm`, `deployment:…:rpm`) and its limit per window. */
export interface WindowBucket {
  id: string;
  limit: number;
  windowMs: number;
}

/** A bucket's state after (or instead of) a consume. */
export interface WindowState {
  /** False when the points did not fit; nothing was consumed then. */
  allowed: boolean;
  remaining: number;
  /** Milliseconds until the window resets. */
  resetMs: number;
}

/**
 * Rate-limit counters in fixed windows (rate-limiter-flexible: process memory for one replica, Redis when several
 * replicas must share one limit). Reserve with `consume`, settle with `adjust` once the real count is known.
 * Synchronous: every implementation answers from this process's memory (a shared one reaches Redis in the
 * background), so a governed request awaits nothing for its limits. A call throws when the counters cannot answer
 * (shared counters with Redis unreachable and `limits.on_backend_error: closed`).
 */
export interface WindowCounters {
  /** Takes `points` from the bucket if they fit. */
  consume(bucket: WindowBucket, points: number): WindowState;
  /** Settles a reservation: a positive delta takes more points, a negative one gives points back. */
  adjust(bucket: WindowBucket, delta: number): void;
  /** The bucket's state without consuming anything (routing's look-ahead). */
  peek(bucket: WindowBucket): WindowState;
}
