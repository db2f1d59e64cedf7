import type { CancelSource, GatewayError } from '../core/index.js';

/** How long shutdown waits for stopped runs to store their end before the stores close anyway. */
const STOP_WAIT_MS = 5_000;

interface Run {
  cancel: CancelSource;
  /** Settles once the run's end (result or failure) has been written to the response store. */
  ended: Promise<void>;
  end: (stored: Promise<void>) => void;
}

/**
 * The background responses this process is running, by response id: `…/cancel` and `DELETE` stop one here, and
 * shutdown stops the rest and waits until each has stored how it ended, so none is left `in_progress` for good.
 */
export class BackgroundRuns {
  private readonly runs = new Map<string, Run>();

  /** Follows a run from its acceptance until `ended` is told its store write. */
  start(id: string, cancel: CancelSource): void {
    let end: Run['end'] = () => undefined;
    const ended = new Promise<void>((resolve) => {
      end = (stored) => void stored.finally(resolve);
    });
    this.runs.set(id, { cancel, ended, end });
  }

  /** The run has ended; `stored` is the write of its final state. */
  ended(id: string, stored: Promise<void>): void {
    this.runs.get(id)?.end(stored);
    this.runs.delete(id);
  }

  /** Stops a run of this process (another replica's run is not here: its result is discarded when it arrives). */
  stop(id: string, reason: GatewayError): void {
    this.runs.get(id)?.cancel.abort(reason);
    this.runs.delete(id);
  }

  /** Stops every run with `reason` and waits (at most a few seconds) until each has stored its failure. */
  async stopAll(reason: GatewayError): Promise<void> {
    const stopping = [...this.runs.values()];
    for (const run of stopping) run.cancel.abort(reason);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, STOP_WAIT_MS);
    });
    await Promise.race([Promise.all(stopping.map((run) => run.ended)), timeout]);
    clearTimeout(timer);
  }
}
