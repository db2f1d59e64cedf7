import PgBoss from 'pg-boss';
import type { BatchWork, BatchWorkQueue } from '../../ports/batch-work-queue.js';

const QUEUE = 'switchyard-batch-lines';
/**
 * How long a share belongs to the replica that took it before pg-boss hands it out again. The share's lines are
 * protected by their own leases in the store, renewed while they run and taken over by any replica once they lapse,
 * so this only matters for a replica that died between taking a share and claiming its lines (milliseconds). It is
 * long because pg-boss, at expiry, abandons the handler still running and gives its worker another share: a short
 * one would have a busy replica hoard shares.
 */
const SHARE_EXPIRY_SECONDS = 3600;
/** Postgres's SQLSTATE for a transaction chosen as a deadlock's victim. */
const DEADLOCK_DETECTED = '40P01';

export interface PgBossWorkQueueOptions {
  connectionString: string;
  /** The Postgres schema pg-boss keeps its tables in. */
  schema: string;
  /** Lines per share. */
  chunkSize: number;
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
    const { chunkSize } = this.options;
    const shares: PgBoss.JobInsert<BatchWork>[] = [];
    for (let start = 0; start < lineCount; start += chunkSize) {
      const indexes = Array.from({ length: Math.min(chunkSize, lineCount - start) }, (_, offset) => start + offset);
      shares.push({ name: QUEUE, data: { jobId, indexes }, expireInSeconds: SHARE_EXPIRY_SECONDS, retryLimit: 1000, retryDelay: 1 });
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
      await this.createQueue();
    })();
    return this.started;
  }

  /**
   * Replicas starting together each create the queue; pg-boss's create_queue then deadlocks one against the other
   * (each holds the queue table while the other attaches its partition). The loser tries again, and finds it made.
   */
  private async createQueue(): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.boss.createQueue(QUEUE, { name: QUEUE, policy: 'standard' });
        return;
      } catch (error) {
        if ((error as { code?: unknown }).code !== DEADLOCK_DETECTED || attempt >= 5) throw error;
      }
    }
  }
}
