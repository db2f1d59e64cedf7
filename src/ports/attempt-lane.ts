import type { CancelSource } from '../core/index.js';

/**
 * A lane of upstream capacity apart from live traffic (the batch lane): an attempt on a deployment waits for a slot
 * of the lane's own budget for that deployment before it starts, and gives it back when it is over.
 */
export interface AttemptLane {
  /** Resolves with the slot's release once the deployment (`provider/model`) has room; rejects when `signal` aborts. */
  acquire(deployment: string, signal: CancelSource): Promise<() => void>;
}
