/**
 * Which deployment served a conversation last, so the next turn goes there while it is healthy and the provider's
 * prompt cache hits. Bounded and expiring; read and written synchronously on the request path (a shared backend
 * keeps a local copy and publishes in the background).
 */
export interface SessionAffinity {
  /** The deployment key pinned for `session` within `scope` (a model alias), if still fresh. */
  pinned(scope: string, session: string): string | undefined;
  /** Pins `session` within `scope` to `deployment` for `ttlMs`. */
  pin(scope: string, session: string, deployment: string, ttlMs: number): void;
  /** How many sessions are pinned now, for metrics. */
  size(): number;
}
