/** A share of a job's lines for one runner: all of its claimable lines, or only those `indexes`. */
export interface BatchWork {
  jobId: string;
  indexes?: number[];
}

/**
 * Hands batch work to the runners of every replica, each share to one of them at a time; a runner that dies leaves
 * its share to be handed out again. The lines themselves are claimed in the store, so a share handed out twice never
 * runs a finished line again.
 */
export interface BatchWorkQueue {
  /** Makes a job's lines (`lineCount` of them) available to runners; offering again is harmless. */
  offer(jobId: string, lineCount: number): Promise<void>;
  /** Calls `handler` for each share this replica takes, until `stop`. */
  start(handler: (work: BatchWork) => Promise<void>): Promise<void>;
  stop(): Promise<void>;
}
