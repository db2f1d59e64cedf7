import type { Logger } from 'pino';
import type { Clock } from '../../core/index.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import type { ModelLookup } from '../../catalog/index.js';
import { openBatchBackend, processOwner } from '../../backends/batch/open-batch-backend.js';
import { BatchMetrics } from '../../observability/batch-metrics.js';
import type { GatewayMetrics } from '../../observability/gateway-metrics.js';
import type { BatchFiles, BatchJobs } from '../../ports/batch-service.js';
import type { GatewayService } from '../../ports/gateway-service.js';
import type { ProviderBatchApis } from '../../ports/provider-batch-api.js';
import type { ResolvedKey } from '../../ports/virtual-key.js';
import { BatchRunner } from './batch-runner.js';
import { BatchService } from './batch-service.js';
import { BatchDelegation } from './delegate-batch-job.js';

export interface BatchRunnerOptions {
  config(): GatewayConfig;
  lookup(): ModelLookup;
  service: GatewayService;
  keyOf(keyId: string): ResolvedKey | undefined;
  /**
   * Epoch milliseconds (`wallClock`): job times are shown to clients and stored, and leases are compared by every
   * replica and by the next start, whose monotonic clocks count from their own beginnings.
   */
  clock: Clock;
  logger: Logger;
  metrics?: GatewayMetrics;
  /** Provider batch APIs jobs may be delegated to. */
  providerBatchApis: ProviderBatchApis;
}

/** The batch API and its runner, started for one gateway process. */
export interface RunningBatches {
  files: BatchFiles;
  jobs: BatchJobs;
  /** Stops taking lines (running ones go back to the queue) and closes the store. */
  close(): Promise<void>;
}

/** Opens the batch store and queue on `storage.url`, resumes every unfinished job and starts taking work. */
export async function startBatchRunner(options: BatchRunnerOptions): Promise<RunningBatches> {
  const { config, clock, logger } = options;
  const settings = config().batch;
  const onError = (error: unknown): void => logger.warn({ err: error }, 'batch store or queue error');
  const backend = await openBatchBackend(config().storage.url, {
    chunkSize: settings.chunkSize,
    workers: Math.max(1, Math.ceil(settings.concurrency / settings.chunkSize)),
    pollMs: () => config().batch.pollMs,
    onError,
  });
  const owner = processOwner();
  const delegation = new BatchDelegation({
    store: backend.store,
    queue: backend.queue,
    apis: options.providerBatchApis,
    config,
    lookup: options.lookup,
    keyOf: options.keyOf,
    record: (entry) => options.service.record(entry),
    owner,
    clock,
    logger,
  });
  const runner = new BatchRunner({
    store: backend.store,
    queue: backend.queue,
    service: options.service,
    config,
    keyOf: options.keyOf,
    owner,
    isGoneOwner: backend.isGoneOwner,
    clock,
    logger,
    delegation,
    ...(options.metrics ? { metrics: new BatchMetrics(options.metrics.registry) } : {}),
  });
  const service = new BatchService({ store: backend.store, queue: backend.queue, runner, config, clock });
  await runner.start();
  return {
    files: service.files,
    jobs: service.jobs,
    async close() {
      await runner.stop();
      await backend.close();
    },
  };
}
