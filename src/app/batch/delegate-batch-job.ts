import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import { toGatewayError, type Clock, type Target } from '../../core/index.js';
import { costOfUsage, type ModelLookup } from '../../catalog/index.js';
import type { GatewayConfig, RedactionRule } from '../../config/gateway-config.js';
import { renderDelegatedResult, toDelegatedLine } from '../../http/run-batch-line.js';
import { keyHoldsDelegation, restrictedLineTag } from '../../limits/delegation-hold.js';
import { redactEmbeddingInput, redactPrompt } from '../../limits/redact-prompt.js';
import { findRoute } from '../../routing/resolve-route.js';
import type { BatchJob, BatchJobStore } from '../../ports/batch-store.js';
import type { BatchWorkQueue } from '../../ports/batch-work-queue.js';
import type { DelegatedLine, DelegatedResult, ProviderBatchApi, ProviderBatchApis } from '../../ports/provider-batch-api.js';
import type { RequestLogRecord } from '../../ports/request-log.js';
import type { ResolvedKey } from '../../ports/virtual-key.js';
import { answeredEntry, unansweredEntry } from './batch-result-entries.js';

/** A provider's batch job holds its lines this long before another replica may submit them again. */
const DELEGATED_LEASE_MS = 30 * 24 * 3_600_000;

export interface DelegationDeps {
  store: BatchJobStore;
  queue: BatchWorkQueue;
  apis: ProviderBatchApis;
  config(): GatewayConfig;
  lookup(): ModelLookup;
  /** The key a job was created with (undefined when it is gone): its limits decide whether the job may leave the lane. */
  keyOf(keyId: string): ResolvedKey | undefined;
  /** Writes a request record: each line the provider answered is one, like a line run on the lane. */
  record(entry: RequestLogRecord): void;
  owner: string;
  clock: Clock;
  logger: Logger;
}

/** The id a line goes to the provider under: its index, so results map back without a lookup. */
function delegatedId(index: number): string {
  return `sy-${index}`;
}

function indexOf(delegatedCustomId: string): number | undefined {
  const match = /^sy-(\d+)$/.exec(delegatedCustomId);
  return match ? Number(match[1]) : undefined;
}

/** A line addressed to the chosen target's model, its prompt (or embeddings input) redacted by that provider's patterns. */
function addressedTo(line: DelegatedLine, model: string, rules: readonly RedactionRule[]): DelegatedLine {
  if (line.kind === 'embedding') return { ...line, request: { ...redactEmbeddingInput(line.request, rules).request, model } };
  return { ...line, request: { ...redactPrompt(line.request, rules).request, model } };
}

/** The client format a job's lines speak, as their records name it. */
function clientFormatOf(job: BatchJob): RequestLogRecord['clientFormat'] {
  if (job.endpoint === '/v1/embeddings') return 'embeddings';
  if (job.endpoint === '/v1/messages') return 'anthropic-messages';
  return job.endpoint === '/v1/responses' ? 'openai-responses' : 'openai-chat';
}

/** The route's targets whose provider has a batch API, cheapest first by catalogue price. */
function delegationTargets(model: string, kind: DelegatedLine['kind'], deps: DelegationDeps): Array<{ target: Target; api: ProviderBatchApi }> {
  const config = deps.config();
  const route = findRoute(model, config);
  if (!route) return [];
  const lookup = deps.lookup();
  const found: Array<{ target: Target; api: ProviderBatchApi; price: number }> = [];
  for (const entry of route.targets) {
    const provider = config.providers.get(entry.providerId);
    if (!provider) continue;
    const bare: Target = { provider, model: entry.model };
    const info = lookup(bare);
    // Adapters read limits and capabilities from the target, as on live calls (a missing max_tokens, say).
    const target: Target = info === undefined ? bare : { ...bare, info };
    const api = deps.apis.forTarget(target, kind);
    const price = info?.price;
    if (api) found.push({ target, api, price: (price ? costOfUsage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }, price) : undefined) ?? Number.POSITIVE_INFINITY });
  }
  return found.sort((a, b) => a.price - b.price);
}

/**
 * Drives jobs whose alias allows delegation to a provider's own batch API: submits the lines once (the replica that
 * claims them does), polls the provider's job, maps its results back to the lines, prices them at the batch rate,
 * and cancels it when the job is cancelled. A job no target can take is run on the batch lane instead.
 */
export class BatchDelegation {
  private readonly nextPollAt = new Map<string, number>();

  constructor(private readonly deps: DelegationDeps) {}

  async drive(job: BatchJob): Promise<void> {
    try {
      if (!job.delegated) await this.submit(job);
      else await this.follow(job, job.delegated);
    } catch (error) {
      this.deps.logger.warn({ err: toGatewayError(error), batch: job.id }, 'delegated batch job step failed; retried on the next sweep');
    }
  }

  /** Asks the provider to cancel a delegated job; its finished lines still come back. */
  async cancel(job: BatchJob): Promise<void> {
    if (!job.delegated) return;
    const found = this.apiFor(job);
    if (found) await found.api.cancel(job.delegated.providerJobId, found.target);
  }

  private async submit(job: BatchJob): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    const claimed = await store.claimLines(job.id, { owner: `${this.deps.owner}:delegate`, now, leaseUntil: now + DELEGATED_LEASE_MS, limit: 50_000 });
    if (claimed.length === 0) return;
    const kind: DelegatedLine['kind'] = job.endpoint === '/v1/embeddings' ? 'embedding' : 'chat';
    const firstBody = claimed.find((line) => line.request !== undefined)?.request?.body as { model?: unknown } | undefined;
    const model = typeof firstBody?.model === 'string' ? firstBody.model : '';
    const candidates = delegationTargets(model, kind, this.deps);
    const first = candidates[0];
    if (!first) {
      await this.runOnLane(job, claimed, now);
      this.deps.logger.info({ batch: job.id, model }, 'no target of the batch\'s model has a provider batch API; running it on the batch lane');
      return;
    }
    const config = this.deps.config();
    const caller = job.keyId === undefined ? undefined : this.deps.keyOf(job.keyId);
    const held = job.keyId !== undefined && !caller ? 'its key is no longer valid' : keyHoldsDelegation(caller, model, config);
    if (held !== undefined) {
      await this.runOnLane(job, claimed, now);
      this.deps.logger.info({ batch: job.id, model, reason: held }, `batch job kept on the batch lane, where each line is governed: ${held}`);
      return;
    }
    let lines: DelegatedLine[] = [];
    const sent: typeof claimed = [];
    for (const line of claimed) {
      try {
        const request = line.request as NonNullable<typeof line.request>;
        lines.push(toDelegatedLine(request.url, request.body, delegatedId(line.index), first.target.model));
        sent.push(line);
      } catch (error) {
        const failure = toGatewayError(error);
        const result = unansweredEntry(job.format, line.customId, { code: failure.code, message: failure.message });
        await store.finishLine(job.id, line.index, { state: 'failed', result, at: now });
      }
    }
    // Lines tagged for trusted providers only may go to a trusted provider's batch API, else to the lane, which refuses them.
    const tag = restrictedLineTag(lines.map((line) => (line.kind === 'chat' ? line.request.metadata : undefined)), caller, config);
    const choice = tag === undefined ? first : candidates.find((candidate) => config.providerPolicies.get(candidate.target.provider.id)?.trusted === true);
    if (!choice) {
      await this.runOnLane(job, sent, now);
      this.deps.logger.info({ batch: job.id, model, tag }, 'batch job kept on the batch lane: its lines are tagged for trusted providers only');
      return;
    }
    const rules = config.providerPolicies.get(choice.target.provider.id)?.redact ?? [];
    lines = lines.map((line) => addressedTo(line, choice.target.model, rules));
    if (lines.length === 0) return;
    let providerJobId: string;
    try {
      providerJobId = await choice.api.submit(lines, choice.target);
    } catch (error) {
      const failure = toGatewayError(error);
      // Trying again would be refused again (a line the provider cannot take, a bad key): the lane runs it instead.
      if (failure.retryable) throw error;
      await this.runOnLane(job, sent, now);
      this.deps.logger.warn({ batch: job.id, provider: choice.target.provider.id, err: failure }, 'the provider refused the batch; running it on the batch lane');
      return;
    }
    await store.updateJob(job.id, { delegated: { provider: choice.target.provider.id, model: choice.target.model, providerJobId } });
    this.deps.logger.info({ batch: job.id, provider: choice.target.provider.id, lines: lines.length }, 'batch job delegated to the provider\'s batch API');
  }

  /** Hands claimed lines back to the batch lane, which runs them like any job's. */
  private async runOnLane(job: BatchJob, claimed: ReadonlyArray<{ index: number }>, now: number): Promise<void> {
    const { store } = this.deps;
    for (const line of claimed) await store.finishLine(job.id, line.index, { state: 'pending', at: now });
    await store.updateJob(job.id, { delegate: false });
    await this.deps.queue.offer(job.id, (await store.progress(job.id)).total);
  }

  private apiFor(job: BatchJob): { target: Target; api: ProviderBatchApi } | undefined {
    if (!job.delegated) return undefined;
    const provider = this.deps.config().providers.get(job.delegated.provider);
    if (!provider) return undefined;
    const bare: Target = { provider, model: job.delegated.model };
    const info = this.deps.lookup()(bare);
    const target: Target = info === undefined ? bare : { ...bare, info };
    const api = this.deps.apis.forTarget(target, job.endpoint === '/v1/embeddings' ? 'embedding' : 'chat');
    return api ? { target, api } : undefined;
  }

  private async follow(job: BatchJob, delegated: NonNullable<BatchJob['delegated']>): Promise<void> {
    const { store, clock } = this.deps;
    const now = clock.now();
    if ((this.nextPollAt.get(job.id) ?? 0) > now) return;
    this.nextPollAt.set(job.id, now + this.deps.config().batch.delegatePollMs);
    const found = this.apiFor(job);
    if (!found) return;
    const status = await found.api.poll(delegated.providerJobId, found.target);
    if (status.state === 'in_progress') return;
    const price = this.deps.lookup()(found.target)?.price;
    for await (const result of found.api.results(delegated.providerJobId, found.target)) {
      const index = indexOf(result.customId);
      if (index === undefined) continue;
      const customId = await this.customIdOf(job.id, index);
      if (customId === undefined) continue;
      const requestId = `req_batch_${randomBytes(10).toString('hex')}`;
      const requestedModel = await this.requestedModel(job.id, index);
      const rendered = renderDelegatedResult(job.endpoint, result, requestedModel, requestId);
      const listed = result.ok && price ? costOfUsage(result.usage, price) : undefined;
      const cost = listed === undefined ? undefined : listed * found.api.priceFactor;
      this.recordLine(job, found.target, { requestId, customId, requestedModel, status: rendered.status, result, cost });
      await store.finishLine(job.id, index, {
        state: rendered.status === 200 ? 'done' : 'failed',
        result: answeredEntry(job.format, customId, requestId, rendered.status, rendered.body),
        ...(cost === undefined ? {} : { costUsd: cost }),
        at: clock.now(),
      });
    }
    // Lines the provider never answered (expired, cancelled, failed job) end in the error file.
    const code = status.state === 'cancelled' ? 'batch_cancelled' : 'batch_expired';
    const message = status.message ?? `The provider's batch job ended ${status.state} before answering this request.`;
    const { total } = await store.progress(job.id);
    for (let index = 0; index < total; index++) {
      const customId = await this.customIdOf(job.id, index);
      await store.finishLine(job.id, index, { state: 'failed', result: unansweredEntry(job.format, customId ?? null, { code, message }), at: clock.now() });
    }
    this.nextPollAt.delete(job.id);
  }

  /** The request record of one line the provider answered: its usage, batch-rate cost, key and batch tags. */
  private recordLine(job: BatchJob, target: Target, line: { requestId: string; customId: string; requestedModel: string; status: number; result: DelegatedResult; cost: number | undefined }): void {
    const { result } = line;
    const record: RequestLogRecord = {
      id: line.requestId,
      startedAt: this.deps.clock.now(),
      clientFormat: clientFormatOf(job),
      requestedModel: line.requestedModel,
      provider: target.provider.id,
      model: target.model,
      stream: false,
      status: line.status,
      attempts: [],
      latencyMs: 0,
      warnings: [],
      metadata: { batch_id: job.id, batch_custom_id: line.customId.slice(0, 200), batch_delegated: 'true' },
    };
    if (job.keyId !== undefined) record.keyId = job.keyId;
    if (result.ok) record.usage = result.usage;
    else {
      record.errorCode = result.error.code;
      record.errorMessage = result.error.message;
    }
    if (line.cost !== undefined) record.costUsd = line.cost;
    this.deps.record(record);
  }

  private async customIdOf(jobId: string, index: number): Promise<string | undefined> {
    return (await this.deps.store.lineAt(jobId, index))?.customId;
  }

  private async requestedModel(jobId: string, index: number): Promise<string> {
    const body = (await this.deps.store.lineAt(jobId, index))?.request?.body as { model?: unknown } | undefined;
    return typeof body?.model === 'string' ? body.model : '';
  }
}
