import PgBoss from 'pg-boss';
import type { BatchWork, BatchWorkQueue } from '../../ports/batch-work-queue.js';

const QUEUE = 'switchyard-batch-lines';

export interface PgBossWorkQueueOptions {
  connectionString: string;
  /** The Postgres schema pg-boss keeps its tables in. */
  schema: string;
  /** Lines per share. */
  chunkSize: number;
  /** How long a share belongs to the replica that took it before pg-boss hands it out again. */
  leaseMs: number;
  /** Shares this replica runs at once. */
  workers: number;
  onError: (error: unknown) => void;
}

/**
 * Shares of a job's lines as pg-boss jobs in Postgres: every replica's workers fetch them with SKIP LOCKED, so each
 * share runs on one replica at a time, and a share whose replica died is handed out again once it expires.
 */
export class PgBossWorkQueue implements BatchWorkQueue {
  private readonly boss: PgBoss;
  private started: Promise<void> | undefined;

  constructor(private readonly options: PgBossWorkQueueOptions) {
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: options.schema,
      max: 3,
      schedule: false,
      application_name: 'switchyard-batch',
    });
    this.boss.on('error', options.onError);
  }

  async offer(jobId: string, lineCount: number): Promise<void> {
    await this.ready();
    const { chunkSize, leaseMs } = this.options;
    const shares: PgBoss.JobInsert<BatchWork>[] = [];
    for (let start = 0; start < lineCount; start += chunkSize) {
      const indexes = Array.from({ length: Math.min(chunkSize, lineCount - start) }, (_, offset) => start + offset);
      shares.push({ name: QUEUE, data: { jobId, indexes }, expireInSeconds: Math.ceil(leaseMs / 1000), retryLimit: 1000, retryDelay: 1 });
    }
    for (let start = 0; start < shares.length; start += 500) await this.boss.insert(shares.slice(start, start + 500));
  }

  async start(handler: (work: BatchWork) => Promise<void>): Promise<void> {
    await this.ready();
    for (let worker = 0; worker < this.options.workers; worker++) {
      await this.boss.work<BatchWork>(QUEUE, { batchSize: 1, pollingIntervalSeconds: 0.5 }, async (jobs) => {
        for (const job of jobs) await handler(job.data);
      });
    }
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    await this.started.catch(() => undefined);
    await this.boss.stop({ graceful: true, wait: true, timeout: 5_000 });
  }

  private ready(): Promise<void> {
    this.started ??= (async () => {
      await this.boss.start();
      await this.boss.createQueue(QUEUE, { name: QUEUE, policy: 'standard' });
    })();
    return this.started;
  }
}
