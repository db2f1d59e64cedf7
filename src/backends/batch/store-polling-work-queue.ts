import type { BatchJobStore } from '../../ports/batch-store.js';
import type { BatchWork, BatchWorkQueue } from '../../ports/batch-work-queue.js';

/**
 * The embedded default's queue: the store's line claims are the queue. Each replica polls for running jobs and hands
 * each one to the runner, which claims lines with leases; an offer wakes the poll at once.
 */
export class StorePollingWorkQueue implements BatchWorkQueue {
  private stopped = true;
  private wake: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly store: Pick<BatchJobStore, 'listJobs'>,
    private readonly pollMs: () => number,
    private readonly onError: (error: unknown) => void,
  ) {}

  async offer(): Promise<void> {
    this.wake?.();
  }

  async start(handler: (work: BatchWork) => Promise<void>): Promise<void> {
    this.stopped = false;
    this.loop = this.run(handler);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    await this.loop;
  }

  private async run(handler: (work: BatchWork) => Promise<void>): Promise<void> {
    while (!this.stopped) {
      try {
        const jobs = await this.store.listJobs({ statuses: ['in_progress'], limit: 100 });
        await Promise.all(jobs.filter((job) => !job.delegate).map((job) => handler({ jobId: job.id })));
      } catch (error) {
        this.onError(error);
      }
      if (this.stopped) break;
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.pollMs());
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.wake = undefined;
    }
  }
}
