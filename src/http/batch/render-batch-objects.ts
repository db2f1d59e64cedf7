import type { BatchJobView } from '../../ports/batch-service.js';
import type { BatchJob, StoredFile } from '../../ports/batch-store.js';

const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : Math.floor(ms / 1000));
const iso = (ms: number | undefined): string | null => (ms === undefined ? null : new Date(ms).toISOString());

/** Drops undefined fields, so optional ones are absent rather than null (as OpenAI's objects are). */
function defined<T extends Record<string, unknown>>(object: T): T {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as T;
}

/** A file as the OpenAI Files API shows it. */
export function renderOpenAIFile(file: StoredFile): Record<string, unknown> {
  return { id: file.id, object: 'file', bytes: file.bytes, created_at: seconds(file.createdAt), filename: file.filename, purpose: file.purpose, status: 'processed' };
}

/** Switchyard's progress extension on a batch object: cost so far, ETA, why it is paused, where it was delegated. */
function progressExtension(view: BatchJobView): Record<string, unknown> {
  const { job, progress } = view;
  return {
    status: job.status,
    cost_usd: Math.round(progress.costUsd * 1e8) / 1e8,
    cost_cap_usd: job.costCapUsd ?? null,
    eta_seconds: view.etaSeconds ?? null,
    pending: progress.pending,
    running: progress.running,
    paused_reason: job.pausedReason ?? null,
    delegated: job.delegated ? { provider: job.delegated.provider, model: job.delegated.model, provider_job_id: job.delegated.providerJobId } : null,
  };
}

/** OpenAI has no paused status: a paused job shows as in progress, with the reason in the extension. */
function openAIStatus(status: BatchJob['status']): string {
  return status === 'paused' ? 'in_progress' : status;
}

/** A job as the OpenAI Batch API shows it, with the `switchyard` progress extension. */
export function renderOpenAIBatch(view: BatchJobView): Record<string, unknown> {
  const { job, progress } = view;
  return defined({
    id: job.id,
    object: 'batch',
    endpoint: job.endpoint,
    errors: null,
    input_file_id: job.inputFileId ?? '',
    completion_window: job.completionWindow,
    status: openAIStatus(job.status),
    output_file_id: job.outputFileId ?? null,
    error_file_id: job.errorFileId ?? null,
    created_at: seconds(job.createdAt),
    in_progress_at: seconds(job.inProgressAt) ?? null,
    expires_at: seconds(job.expiresAt),
    finalizing_at: seconds(job.finalizingAt) ?? null,
    completed_at: seconds(job.completedAt) ?? null,
    failed_at: seconds(job.failedAt) ?? null,
    expired_at: seconds(job.expiredAt) ?? null,
    cancelling_at: seconds(job.cancellingAt) ?? null,
    cancelled_at: seconds(job.cancelledAt) ?? null,
    request_counts: { total: progress.total, completed: progress.done, failed: progress.failed },
    metadata: job.metadata,
    switchyard: progressExtension(view),
  });
}

/** A job as Anthropic's Message Batches API shows it; `baseUrl` makes its `results_url`. */
export function renderAnthropicBatch(view: BatchJobView, baseUrl: string): Record<string, unknown> {
  const { job, progress } = view;
  const ended = job.status === 'completed' || job.status === 'cancelled' || job.status === 'failed' || job.status === 'expired';
  const processingStatus = ended ? 'ended' : job.status === 'cancelling' ? 'canceling' : 'in_progress';
  return {
    id: job.id,
    type: 'message_batch',
    processing_status: processingStatus,
    request_counts: {
      processing: progress.pending + progress.running,
      succeeded: progress.done,
      errored: progress.failed,
      canceled: 0,
      expired: 0,
    },
    created_at: iso(job.createdAt),
    expires_at: iso(job.expiresAt),
    ended_at: iso(job.completedAt ?? job.cancelledAt ?? job.failedAt ?? job.expiredAt),
    cancel_initiated_at: iso(job.cancellingAt),
    archived_at: null,
    results_url: ended ? `${baseUrl}/v1/messages/batches/${job.id}/results` : null,
    switchyard: progressExtension(view),
  };
}

/** A job as `GET /admin/batches` shows it to the dashboard. */
export function renderAdminBatch(view: BatchJobView): Record<string, unknown> {
  const { job, progress } = view;
  return {
    id: job.id,
    format: job.format,
    endpoint: job.endpoint,
    status: job.status,
    created_at: job.createdAt,
    key_id: job.keyId ?? null,
    counts: { total: progress.total, completed: progress.done, failed: progress.failed, pending: progress.pending, running: progress.running },
    cost_usd: Math.round(progress.costUsd * 1e8) / 1e8,
    cost_cap_usd: job.costCapUsd ?? null,
    eta_seconds: view.etaSeconds ?? null,
    paused_reason: job.pausedReason ?? null,
    delegated: job.delegated ? { provider: job.delegated.provider, model: job.delegated.model, provider_job_id: job.delegated.providerJobId } : null,
  };
}
