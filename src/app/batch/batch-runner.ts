import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { CancelSource, GatewayError, type Clock } from '../../core/index.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { runBatchLine, type BatchLineOutcome } from '../../http/run-batch-line.js';
import type { BatchMetrics } from '../../observability/batch-metrics.js';
import type { BatchFileStore, BatchJob, BatchJobStore, BatchLine, LineRef } from '../../ports/batch-store.js';
import type { BatchWork, BatchWorkQueue } from '../../ports/batch-work-queue.js';
import type { GatewayService } from '../../ports/gateway-service.js';
import type { ResolvedKey } from '../../ports/virtual-key.js';
import { answeredEntry, unansweredEntry } from './batch-result-entries.js';
import { writeResultFiles } from './write-result-files.js';

/** What the runner works with; everything with I/O comes in here. */
export interface BatchRunnerDeps {
  store: BatchFileStore & BatchJobStore;
  queue: BatchWorkQueue;
  service: GatewayService;
  config(): GatewayConfig;
  /** The job's virtual key by id, from memory; undefined when it no longer exists. */
  keyOf(keyId: string): ResolvedKey | undefined;
  /** This process as a line owner. */
  owner: string;
  isGoneOwner(owner: string): boolean;
  clock: Clock;
  logger: Logger;
  metrics?: BatchMetrics;
  /** Jobs for a provider's batch API, driven on every sweep (the delegation hook). */
  delegation?: { drive(job: BatchJob): Promise<void>; cancel(job: BatchJob): Promise<void> };
}

/** A simple counting semaphore for this replica's batch lines in flight. */
class Slots {
  private used = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly size: () => number) {}

  async run<T>(task: () => Promise<T>): Promise<T> {
    while (this.used >= this.size()) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.used++;
    try {
      return await task();
    } finally {
      this.used--;
      this.waiting.shift()?.();
    }
  }
}

/**
 * Runs batch jobs' lines through the gateway's own request path on the batch lane: claims lines (leases in the store),
 * runs each like a live call of its endpoint, keeps the first result of every line, pauses a job at its cost cap or
 * its key's budget, and writes the output and error files once no line is left.
 */
export class BatchRunner {
  private readonly slots: Slots;
  private readonly lines = new Set<{ jobId: string; cancel: CancelSource }>();
  /** Jobs this replica knows to be halted (paused or cancelled), so lines not started yet are given back. */
  private readonly halted = new Set<string>();
  /** Jobs whose whole-job share (the store-polling queue's) this replica is working on. */
  private readonly active = new Set<string>();
  /** Spend per job as this replica last knew it, for the cost cap. */
  private readonly spent = new Map<string, number>();
  private readonly cancelledAtProvider = new Set<string>();
  /** Lines claimed here and not finished or given back yet, keyed `job:index`: the heartbeat renews their leases. */
  private readonly held = new Map<string, LineRef>();
  private sweeper: NodeJS.Timeout | undefined;
  private heartbeat: NodeJS.Timeout | undefined;
  private sweeping: Promise<void> | undefined;
  private stopped = false;

  constructor(private readonly deps: BatchRunnerDeps) {
    this.slots = new Slots(() => deps.config().batch.concurrency);
  }

  /** Takes over lines of crashed processes, starts taking work, re-offers unfinished jobs and sweeps periodically. */
  async start(): Promise<void> {
    const { store, queue } = this.deps;
    const released = await store.releaseOrphans((owner) => this.deps.isGoneOwner(owner));
    if (released > 0) this.deps.logger.info({ lines: released }, 'batch lines of a stopped process taken over');
    await queue.start((work) => this.handle(work));
    for (const job of await store.listJobs({ statuses: ['in_progress'], limit: 1000 })) {
      if (!job.delegate) await queue.offer(job.id, (await store.progress(job.id)).total);
    }
    const every = Math.max(200, this.deps.config().batch.pollMs * 2);
    this.sweeper = setInterval(() => void this.sweep(), every);
    this.sweeper.unref();
    this.scheduleHeartbeat();
    void this.sweep();
  }

  /**
   * Renews the leases of the lines held here a third of a lease apart, so a lease can be short: a line runs as long as
   * it needs while this process lives, and a dead process's lines are free `batch.lease_ms` after its last beat.
   */
  private scheduleHeartbeat(): void {
    const leaseMs = this.deps.config().batch.leaseMs;
    this.heartbeat = setTimeout(() => {
      void this.renewLeases().finally(() => {
        if (!this.stopped) this.scheduleHeartbeat();
      });
    }, Math.max(50, Math.floor(leaseMs / 3)));
    this.heartbeat.unref();
  }

  private async renewLeases(): Promise<void> {
    if (this.held.size === 0) return;
    const { store, clock, config } = this.deps;
    try {
      await store.renewLeases(this.deps.owner, [...this.held.values()], clock.now() + config().batch.leaseMs);
    } catch (error) {
      this.deps.logger.warn({ err: error, lines: this.held.size }, 'renewing batch line leases failed; retried on the next beat');
    }
  }

  /** Stops taking work; lines running here are aborted and given back, for another replica or the next start. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.sweeper);
    clearTimeout(this.heartbeat);
    const reason = new GatewayError('shutting_down', 'Gateway shutting down: the batch line returns to the queue');
    for (const line of this.lines) line.cancel.abort(reason);
    await this.deps.queue.stop();
    await this.sweeping;
  }

  /** A job was halted here (cancel, pause): its lines not started yet are given back, its running ones aborted on cancel. */
  halt(jobId: string, abortRunning: boolean): void {
    this.halted.add(jobId);
    if (!abortRunning) return;
    const reason = new GatewayError('client_closed', 'The batch was cancelled');
    for (const line of this.lines) if (line.jobId === jobId) line.cancel.abort(reason);
  }

  /** A job may run again (resumed). */
  resume(jobId: string): void {
    this.halted.delete(jobId);
  }

  /** Runs one share of a job: claims its lines in chunks until none is left or the job halts. */
  async handle(work: BatchWork): Promise<void> {
    const whole = work.indexes === undefined;
    if (whole && this.active.has(work.jobId)) return;
    if (whole) this.active.add(work.jobId);
    try {
      await this.runShare(work);
    } catch (error) {
      this.deps.logger.warn({ err: error, batch: work.jobId }, 'batch share failed; its lines return to the queue when their lease ends');
    } finally {
      if (whole) this.active.delete(work.jobId);
    }
    await this.finishIfDone(work.jobId).catch((error: unknown) => this.deps.logger.warn({ err: error, batch: work.jobId }, 'batch finalization failed; retried on the next sweep'));
  }

  private async runShare(work: BatchWork): Promise<void> {
    const { store, clock } = this.deps;
    let job = await store.getJob(work.jobId);
    if (!job || job.delegate) return;
    this.spent.set(job.id, (await store.progress(job.id)).costUsd);
    while (!this.stopped && job && job.status === 'in_progress' && !this.halted.has(job.id)) {
      const { leaseMs, chunkSize } = this.deps.config().batch;
      const now = clock.now();
      const claimed = await store.claimLines(job.id, {
        owner: this.deps.owner,
        now,
        leaseUntil: now + leaseMs,
        limit: chunkSize,
        ...(work.indexes ? { indexes: work.indexes } : {}),
      });
      if (claimed.length === 0) return;
      const current = job;
      for (const line of claimed) this.held.set(`${line.jobId}:${line.index}`, { jobId: line.jobId, index: line.index });
      await Promise.all(
        claimed.map((line) => this.slots.run(() => this.runLine(current, line)).finally(() => this.held.delete(`${line.jobId}:${line.index}`))),
      );
      job = await store.getJob(work.jobId);
    }
  }

  private async runLine(job: BatchJob, line: BatchLine): Promise<void> {
    const { store, clock } = this.deps;
    const giveBack = (): Promise<boolean> => store.finishLine(job.id, line.index, { state: 'pending', at: clock.now() });
    if (this.stopped || this.halted.has(job.id) || this.overCap(job)) {
      if (!this.halted.has(job.id) && this.overCap(job)) await this.pause(job, `cost cap of $${this.capOf(job)} reached`);
      await giveBack();
      return;
    }
    const caller = job.keyId === undefined ? undefined : this.deps.keyOf(job.keyId);
    const requestId = `req_batch_${randomBytes(10).toString('hex')}`;
    let outcome: BatchLineOutcome;
    if (job.keyId !== undefined && !caller) {
      outcome = { status: 401, body: { error: { message: 'The batch job\'s virtual key no longer exists', type: 'invalid_request_error', code: 'authentication_failed', param: null } } };
    } else {
      const entry = { jobId: job.id, cancel: new CancelSource() };
      this.lines.add(entry);
      try {
        outcome = await this.callWithRetries(job, line, requestId, caller, entry.cancel);
      } finally {
        this.lines.delete(entry);
      }
      if (entry.cancel.aborted) {
        await giveBack();
        return;
      }
    }
    if (outcome.errorCode === 'budget_exceeded') {
      await this.pause(job, 'the job\'s virtual key reached its budget');
      await giveBack();
      return;
    }
    const state = outcome.status === 200 ? 'done' : 'failed';
    const result = answeredEntry(job.format, line.customId, requestId, outcome.status, outcome.body);
    const kept = await store.finishLine(job.id, line.index, { state, result, ...(outcome.costUsd === undefined ? {} : { costUsd: outcome.costUsd }), at: clock.now() });
    if (!kept) return;
    this.deps.metrics?.lineFinished(state === 'done' ? 'completed' : 'failed', outcome.costUsd);
    this.spent.set(job.id, (this.spent.get(job.id) ?? 0) + (outcome.costUsd ?? 0));
  }

  /** Runs a line up to `batch.line_attempts` times while it fails in a way a later try may not (upstreams all failing). */
  private async callWithRetries(job: BatchJob, line: BatchLine, requestId: string, caller: ResolvedKey | undefined, cancel: CancelSource): Promise<BatchLineOutcome> {
    const { lineAttempts } = this.deps.config().batch;
    const request = line.request as NonNullable<BatchLine['request']>;
    for (let attempt = 1; ; attempt++) {
      const outcome = await runBatchLine(this.deps.service, {
        url: request.url,
        body: request.body,
        requestId: attempt === 1 ? requestId : `${requestId}_${attempt}`,
        signal: cancel,
        ...(caller ? { caller } : {}),
        tags: { batch_id: job.id, batch_custom_id: line.customId.slice(0, 200) },
      });
      if (outcome.status === 200 || !outcome.retryable || attempt >= lineAttempts || cancel.aborted) return outcome;
      if (!(await cancel.sleep(Math.min(30_000, 1000 * 2 ** (attempt - 1))))) return outcome;
    }
  }

  private capOf(job: BatchJob): number | undefined {
    return job.costCapUsd ?? this.deps.config().batch.maxCostUsd;
  }

  private overCap(job: BatchJob): boolean {
    const cap = this.capOf(job);
    return cap !== undefined && (this.spent.get(job.id) ?? 0) >= cap;
  }

  private async pause(job: BatchJob, reason: string): Promise<void> {
    this.halt(job.id, false);
    if (await this.deps.store.updateJob(job.id, { status: 'paused', pausedReason: reason }, ['in_progress'])) {
      this.deps.logger.warn({ batch: job.id, reason }, 'batch job paused');
    }
  }

  /** Finalizes a job none of whose lines is left to run: its result files, then its final status. */
  async finishIfDone(jobId: string): Promise<void> {
    const { store, clock } = this.deps;
    const job = await store.getJob(jobId);
    if (!job) return;
    if (job.status === 'cancelling') {
      await this.cancelLeftovers(job);
      if ((await store.progress(jobId)).running > 0) return;
      const files = await writeResultFiles(store, job, clock.now());
      await store.updateJob(jobId, { status: 'cancelled', cancelledAt: clock.now(), ...files }, ['cancelling']);
      this.halted.delete(jobId);
      return;
    }
    if (job.status === 'in_progress') {
      const progress = await store.progress(jobId);
      if (progress.pending + progress.running > 0) return;
      if (!(await store.updateJob(jobId, { status: 'finalizing', finalizingAt: clock.now() }, ['in_progress']))) return;
      job.status = 'finalizing';
    }
    if (job.status !== 'finalizing') return;
    const files = await writeResultFiles(store, job, clock.now());
    await store.updateJob(jobId, { status: 'completed', completedAt: clock.now(), ...files }, ['finalizing']);
    this.spent.delete(jobId);
  }

  /** A cancelled job's lines that never ran end as cancelled entries, so every custom_id is answered once. */
  private async cancelLeftovers(job: BatchJob): Promise<void> {
    const { store, clock } = this.deps;
    for (;;) {
      const now = clock.now();
      const left = await store.claimLines(job.id, { owner: `${this.deps.owner}:cancel`, now, leaseUntil: now + 60_000, limit: 500 });
      if (left.length === 0) return;
      for (const line of left) {
        const result = unansweredEntry(job.format, line.customId, { code: 'batch_cancelled', message: 'This request was not run: the batch was cancelled.' });
        await store.finishLine(job.id, line.index, { state: 'failed', result, at: now });
      }
    }
  }

  /** A delegated job's next step; a cancelled one is cancelled at the provider once, then followed to its end. */
  private async driveDelegated(job: BatchJob, delegation: NonNullable<BatchRunnerDeps['delegation']>): Promise<void> {
    if (job.status === 'cancelling' && job.delegated && !this.cancelledAtProvider.has(job.id)) {
      this.cancelledAtProvider.add(job.id);
      await delegation.cancel(job).catch((error: unknown) => this.deps.logger.warn({ err: error, batch: job.id }, 'cancelling the provider\'s batch job failed'));
    }
    if (job.status === 'in_progress' || (job.status === 'cancelling' && job.delegated)) await delegation.drive(job);
  }

  /**
   * Runs the lines of a job whose lease ended: their runner stopped renewing it (its process died). A queue share is
   * handed out again only when the queue's own expiry comes round; this takes the lines back within one lease.
   */
  private async takeOverExpired(jobId: string): Promise<void> {
    const { store, clock, config } = this.deps;
    const indexes = await store.expiredLines(jobId, clock.now(), config().batch.chunkSize);
    if (indexes.length === 0) return;
    this.deps.logger.info({ batch: jobId, lines: indexes.length }, 'batch lines whose lease ended taken over');
    void this.handle({ jobId, indexes });
  }

  /** Finalizes what is done, takes over lines whose lease ended, drives delegated jobs. */
  private async sweep(): Promise<void> {
    if (this.sweeping || this.stopped) return;
    this.sweeping = (async () => {
      const { store } = this.deps;
      try {
        await store.releaseOrphans((owner) => this.deps.isGoneOwner(owner));
        const jobs = await store.listJobs({ statuses: ['in_progress', 'cancelling', 'finalizing'], limit: 200 });
        for (const job of jobs) {
          if (this.stopped) break;
          if (job.delegate && this.deps.delegation) await this.driveDelegated(job, this.deps.delegation);
          else if (job.status === 'in_progress') await this.takeOverExpired(job.id);
          if (!this.active.has(job.id)) await this.finishIfDone(job.id);
        }
      } catch (error) {
        this.deps.logger.warn({ err: error }, 'batch sweep failed');
      }
    })();
    await this.sweeping;
    this.sweeping = undefined;
  }
}
