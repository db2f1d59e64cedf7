import { randomBytes } from 'node:crypto';
import { GatewayError, boundText, isRecord, type Clock } from '../../core/index.js';
import type { GatewayConfig } from '../../config/gateway-config.js';
import { BATCH_LINE_ENDPOINTS } from '../../http/run-batch-line.js';
import { findRoute } from '../../routing/resolve-route.js';
import type { BatchCaller, BatchFiles, BatchJobView, BatchJobs, NewBatch, Page } from '../../ports/batch-service.js';
import type { BatchFileStore, BatchJob, BatchJobStore, BatchLine, StoredFile } from '../../ports/batch-store.js';
import type { BatchWorkQueue } from '../../ports/batch-work-queue.js';
import type { BatchRunner } from './batch-runner.js';
import { MAX_BATCH_LINES, parseBatchInput } from './parse-batch-input.js';
import { unansweredEntry } from './batch-result-entries.js';

/** The largest file accepted for batch work. */
const MAX_BATCH_FILE_BYTES = 100 * 1024 * 1024;

/** How long a job may take, as OpenAI's `completion_window` (the only value it accepts). */
const COMPLETION_WINDOW_MS = 24 * 3_600_000;

/** Metadata keys a job's creator may set to steer Switchyard (the CLI sets them). */
const DELEGATE_METADATA = 'switchyard_delegate';
const COST_CAP_METADATA = 'switchyard_max_cost_usd';

/** Anthropic's custom_id rule. */
const ANTHROPIC_CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

export interface BatchServiceDeps {
  store: BatchFileStore & BatchJobStore;
  queue: BatchWorkQueue;
  runner: BatchRunner;
  config(): GatewayConfig;
  clock: Clock;
}

function newId(prefix: string): string {
  return `${prefix}${randomBytes(12).toString('hex')}`;
}

function notFound(kind: string, id: string): GatewayError {
  return new GatewayError('not_found', `No such ${kind}: ${boundText(id, 100)}`, { param: 'id' });
}

function visibleTo(owner: string | undefined, caller: BatchCaller): boolean {
  return caller === undefined || owner === caller.key.id;
}

/** The model the job's lines name, when they all name the same one. */
function sharedModel(lines: readonly BatchLine[]): string | undefined {
  const models = new Set<unknown>();
  for (const line of lines) if (line.request && isRecord(line.request.body)) models.add(line.request.body.model);
  const [model] = models;
  return models.size === 1 && typeof model === 'string' ? model : undefined;
}

/** The cost cap a job's metadata asks for, if it is a positive number. */
function costCapOf(metadata: Record<string, string>): number | undefined {
  const raw = metadata[COST_CAP_METADATA];
  if (raw === undefined) return undefined;
  const cap = Number(raw);
  if (!Number.isFinite(cap) || cap <= 0) throw new GatewayError('invalid_request', `metadata.${COST_CAP_METADATA} must be a positive number of US dollars`, { param: `metadata.${COST_CAP_METADATA}` });
  return cap;
}

/** Anthropic's requests as job lines; an invalid request becomes an errored line, as a malformed OpenAI line does. */
function anthropicLines(jobId: string, requests: Array<{ customId: string; params: unknown }>): BatchLine[] {
  const seen = new Set<string>();
  return requests.map(({ customId, params }, index) => {
    const problem = !ANTHROPIC_CUSTOM_ID.test(customId)
      ? 'custom_id must be 1 to 64 letters, digits, _ or -'
      : seen.has(customId)
        ? `custom_id "${customId}" appears more than once`
        : !isRecord(params)
          ? 'params must be an object'
          : undefined;
    seen.add(customId);
    if (problem !== undefined) {
      return { jobId, index, customId, state: 'failed', tries: 0, result: unansweredEntry('anthropic', customId, { code: 'invalid_request', message: problem }) };
    }
    return { jobId, index, customId, state: 'pending', tries: 0, request: { method: 'POST', url: '/v1/messages', body: params } };
  });
}

/** Files and jobs over the batch store, scoped to the caller's key; new and resumed jobs are offered to the runners. */
export class BatchService {
  constructor(private readonly deps: BatchServiceDeps) {}

  /** The files half, as the HTTP layer takes it. */
  get files(): BatchFiles {
    return {
      upload: (input, caller) => this.upload(input, caller),
      get: (id, caller) => this.get(id, caller),
      content: (id, caller) => this.content(id, caller),
      list: (options, caller) => this.list(options, caller),
      remove: (id, caller) => this.remove(id, caller),
    };
  }

  /** The jobs half, as the HTTP layer takes it. */
  get jobs(): BatchJobs {
    return {
      create: (batch, caller) => this.create(batch, caller),
      get: (id, caller) => this.job(id, caller),
      list: (options, caller) => this.listJobs(options, caller),
      cancel: (id, caller) => this.cancel(id, caller),
      resume: (id, changes) => this.resume(id, changes),
      results: (id, caller) => this.results(id, caller),
    };
  }

  async upload(input: { filename: string; purpose: string; content: Buffer }, caller: BatchCaller): Promise<StoredFile> {
    if (input.purpose !== 'batch') throw new GatewayError('invalid_request', `purpose must be "batch": this gateway keeps files for batch jobs only (got "${boundText(input.purpose, 40)}")`, { param: 'purpose' });
    if (input.content.length > MAX_BATCH_FILE_BYTES) throw new GatewayError('request_too_large', `A batch file may hold at most ${MAX_BATCH_FILE_BYTES} bytes`, { param: 'file' });
    const file: StoredFile = {
      id: newId('file-'),
      purpose: 'batch',
      filename: boundText(input.filename, 255),
      bytes: input.content.length,
      createdAt: this.deps.clock.now(),
      ...(caller ? { keyId: caller.key.id } : {}),
    };
    await this.deps.store.saveFile(file, input.content);
    return file;
  }

  async get(id: string, caller: BatchCaller): Promise<StoredFile> {
    const file = await this.deps.store.getFile(id);
    if (!file || !visibleTo(file.keyId, caller)) throw notFound('File', id);
    return file;
  }

  async content(id: string, caller: BatchCaller): Promise<Buffer> {
    await this.get(id, caller);
    const content = await this.deps.store.fileContent(id);
    if (!content) throw notFound('File', id);
    return content;
  }

  async list(options: { purpose?: string; after?: string; limit: number }, caller: BatchCaller): Promise<Page<StoredFile>> {
    const files = await this.deps.store.listFiles({ ...options, limit: options.limit + 1, ...(caller ? { keyId: caller.key.id } : {}) });
    return { data: files.slice(0, options.limit), hasMore: files.length > options.limit };
  }

  async remove(id: string, caller: BatchCaller): Promise<void> {
    await this.get(id, caller);
    await this.deps.store.deleteFile(id);
  }

  async create(batch: NewBatch, caller: BatchCaller): Promise<BatchJobView> {
    const now = this.deps.clock.now();
    const { config } = this.deps;
    let job: BatchJob;
    let lines: BatchLine[];
    if (batch.format === 'openai') {
      if (!BATCH_LINE_ENDPOINTS.includes(batch.endpoint) || batch.endpoint === '/v1/messages') {
        throw new GatewayError('invalid_request', `endpoint must be one of /v1/chat/completions, /v1/embeddings, /v1/responses`, { param: 'endpoint' });
      }
      if (batch.completionWindow !== '24h') throw new GatewayError('invalid_request', 'completion_window must be "24h"', { param: 'completion_window' });
      const file = await this.get(batch.inputFileId, caller).catch(() => {
        throw new GatewayError('invalid_request', `No such input file: ${boundText(batch.inputFileId, 100)}`, { param: 'input_file_id' });
      });
      if (file.purpose !== 'batch') throw new GatewayError('invalid_request', 'The input file must have purpose "batch"', { param: 'input_file_id' });
      const content = await this.content(file.id, caller);
      const id = newId('batch_');
      job = this.newJob(id, 'openai', batch.endpoint, batch.metadata, now, caller);
      job.inputFileId = file.id;
      lines = parseBatchInput(content.toString('utf8'), job, config().inputLimits);
    } else {
      if (batch.requests.length === 0) throw new GatewayError('invalid_request', 'requests must hold at least one request', { param: 'requests' });
      if (batch.requests.length > MAX_BATCH_LINES) throw new GatewayError('invalid_request', `requests may hold at most ${MAX_BATCH_LINES} requests`, { param: 'requests' });
      const id = newId('msgbatch_');
      job = this.newJob(id, 'anthropic', '/v1/messages', {}, now, caller);
      lines = anthropicLines(id, batch.requests);
    }
    const model = sharedModel(lines);
    const route = model === undefined ? undefined : findRoute(model, config());
    job.delegate = job.metadata[DELEGATE_METADATA] === 'true' || route?.batchDelegate === true;
    await this.deps.store.createJob(job, lines);
    if (!job.delegate) await this.deps.queue.offer(job.id, lines.length);
    return this.view(job);
  }

  private newJob(id: string, format: BatchJob['format'], endpoint: string, metadata: Record<string, string>, now: number, caller: BatchCaller): BatchJob {
    const job: BatchJob = {
      id,
      format,
      endpoint,
      completionWindow: '24h',
      status: 'in_progress',
      metadata,
      createdAt: now,
      inProgressAt: now,
      expiresAt: now + COMPLETION_WINDOW_MS,
      delegate: false,
    };
    const cap = costCapOf(metadata);
    if (cap !== undefined) job.costCapUsd = cap;
    if (caller) job.keyId = caller.key.id;
    return job;
  }

  async job(id: string, caller: BatchCaller): Promise<BatchJobView> {
    const job = await this.deps.store.getJob(id);
    if (!job || !visibleTo(job.keyId, caller)) throw notFound('batch', id);
    return this.view(job);
  }

  async listJobs(options: { format?: BatchJob['format']; after?: string; limit: number }, caller: BatchCaller): Promise<Page<BatchJobView>> {
    const jobs = await this.deps.store.listJobs({ ...options, limit: options.limit + 1, ...(caller ? { keyId: caller.key.id } : {}) });
    const data = await Promise.all(jobs.slice(0, options.limit).map((job) => this.view(job)));
    return { data, hasMore: jobs.length > options.limit };
  }

  async cancel(id: string, caller: BatchCaller): Promise<BatchJobView> {
    const { job } = await this.job(id, caller);
    const now = this.deps.clock.now();
    if (await this.deps.store.updateJob(id, { status: 'cancelling', cancellingAt: now }, ['validating', 'in_progress', 'paused'])) {
      this.deps.runner.halt(id, true);
      void this.deps.runner.finishIfDone(id).catch(() => undefined);
    } else if (job.status !== 'cancelling' && job.status !== 'cancelled') {
      throw new GatewayError('invalid_request', `Cannot cancel a batch that is ${job.status}`, { param: 'id' });
    }
    return this.job(id, caller);
  }

  async resume(id: string, changes: { costCapUsd?: number }): Promise<BatchJobView> {
    const job = await this.deps.store.getJob(id);
    if (!job) throw notFound('batch', id);
    const resumed = await this.deps.store.updateJob(
      id,
      { status: 'in_progress', pausedReason: undefined, ...(changes.costCapUsd === undefined ? {} : { costCapUsd: changes.costCapUsd }) },
      ['paused'],
    );
    if (!resumed) throw new GatewayError('invalid_request', `Only a paused batch can be resumed; this one is ${job.status}`, { param: 'id' });
    this.deps.runner.resume(id);
    if (!job.delegate) await this.deps.queue.offer(id, (await this.deps.store.progress(id)).total);
    return this.job(id, undefined);
  }

  async *results(id: string, caller: BatchCaller): AsyncIterable<unknown> {
    await this.job(id, caller);
    for (let from = 0; ; ) {
      const lines = await this.deps.store.finishedLines(id, from, 500);
      for (const line of lines) yield line.result;
      if (lines.length < 500) return;
      from = (lines.at(-1)?.index ?? from) + 1;
    }
  }

  /** A job with its progress and ETA. */
  async view(job: BatchJob): Promise<BatchJobView> {
    const progress = await this.deps.store.progress(job.id);
    const view: BatchJobView = { job, progress };
    const finished = progress.done + progress.failed;
    const left = progress.pending + progress.running;
    const since = job.inProgressAt ?? job.createdAt;
    const elapsed = (progress.lastFinishedAt ?? this.deps.clock.now()) - since;
    if (finished > 0 && left > 0 && elapsed > 0 && job.status === 'in_progress') view.etaSeconds = Math.ceil(((elapsed / finished) * left) / 1000);
    return view;
  }
}
