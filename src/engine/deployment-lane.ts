import { GatewayError, type CancelSource, type Clock } from '../core/index.js';
import type { AttemptLane } from '../ports/attempt-lane.js';

/** The lane's budget per deployment, read on every acquire so a reload applies at once. */
export interface LaneBudget {
  /** Attempts in flight per deployment. */
  concurrency: number;
  /** Attempts started per minute per deployment; 0 for none. */
  perMinute: number;
}

interface DeploymentSlots {
  inFlight: number;
  /** Earliest time the next attempt may start, when a per-minute budget spaces them. */
  nextStartAt: number;
  waiting: Array<() => void>;
}

/**
 * Per-deployment capacity of its own for one class of work (the batch lane): at most `concurrency` attempts in flight
 * on each deployment, started no closer than one per `60 s / perMinute`, first come first served. Live traffic does
 * not go through it, so it never queues behind this lane.
 */
export class DeploymentLane implements AttemptLane {
  private readonly deployments = new Map<string, DeploymentSlots>();

  constructor(
    private readonly budget: () => LaneBudget,
    private readonly clock: Clock,
  ) {}

  async acquire(deployment: string, signal: CancelSource): Promise<() => void> {
    const slots = this.slotsOf(deployment);
    while (slots.inFlight >= this.budget().concurrency) {
      await new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          signal.off('abort', abort);
          resolve();
        };
        const abort = (): void => {
          slots.waiting.splice(slots.waiting.indexOf(wake), 1);
          reject(new GatewayError('client_closed', 'batch line cancelled while waiting for the lane'));
        };
        if (signal.aborted) return abort();
        slots.waiting.push(wake);
        signal.once('abort', abort);
      });
    }
    slots.inFlight++;
    const { perMinute } = this.budget();
    if (perMinute > 0) {
      const now = this.clock.now();
      const startAt = Math.max(now, slots.nextStartAt);
      slots.nextStartAt = startAt + 60_000 / perMinute;
      if (startAt > now && !(await signal.sleep(startAt - now))) {
        this.release(slots);
        throw new GatewayError('client_closed', 'batch line cancelled while waiting for the lane');
      }
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.release(slots);
    };
  }

  /** Batch attempts in flight per deployment, for metrics and the admin view. */
  inFlight(): Map<string, number> {
    return new Map([...this.deployments].map(([key, slots]) => [key, slots.inFlight]));
  }

  private release(slots: DeploymentSlots): void {
    slots.inFlight--;
    slots.waiting.shift()?.();
  }

  private slotsOf(deployment: string): DeploymentSlots {
    let slots = this.deployments.get(deployment);
    if (!slots) {
      slots = { inFlight: 0, nextStartAt: 0, waiting: [] };
      this.deployments.set(deployment, slots);
    }
    return slots;
  }
}
