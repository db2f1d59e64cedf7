import { useState } from 'react';
import { api, apiBlob } from '../api';
import { Empty, ErrorNote, Panel } from '../components/notes';
import { count, time, usd } from '../format';
import { usePoll } from '../use-poll';

/** A job as `GET /admin/batches` answers it. */
interface BatchJob {
  id: string;
  format: string;
  endpoint: string;
  status: string;
  created_at: number;
  key_id: string | null;
  counts: { total: number; completed: number; failed: number; pending: number; running: number };
  cost_usd: number;
  cost_cap_usd: number | null;
  eta_seconds: number | null;
  paused_reason: string | null;
  delegated: { provider: string; model: string; provider_job_id: string } | null;
}

const FINISHED = new Set(['completed', 'failed', 'cancelled', 'expired']);

function eta(seconds: number | null): string {
  if (seconds === null) return '–';
  return seconds >= 3600 ? `${(seconds / 3600).toFixed(1)} h` : seconds >= 60 ? `${Math.round(seconds / 60)} min` : `${Math.round(seconds)} s`;
}

/** Saves the job's finished lines' results (its own format, whichever key made it) through `/admin/batches/{id}/results`. */
async function download(job: BatchJob): Promise<void> {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(await apiBlob(`/admin/batches/${encodeURIComponent(job.id)}/results`));
  link.download = `${job.id}-results.jsonl`;
  link.click();
  URL.revokeObjectURL(link.href);
}

/** Batch jobs with their progress, cost so far and ETA; cancel, resume a paused one, download results. */
export function BatchesPage() {
  const { data, error, reload } = usePoll(() => api<{ data: BatchJob[] }>('/admin/batches?limit=100'), 'batches', 2000);
  const [actionError, setActionError] = useState<Error>();

  async function act(action: () => Promise<unknown>): Promise<void> {
    try {
      await action();
      setActionError(undefined);
      reload();
    } catch (failure) {
      setActionError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  }

  return (
    <div className="page">
      <div className="page-head">
        <h1>Batches</h1>
      </div>
      <ErrorNote error={error} />
      <ErrorNote error={actionError} />
      {data && data.data.length === 0 ? (
        <Empty title="No batch jobs yet.">
          Upload a JSONL file with <code>POST /v1/files</code> (purpose <code>batch</code>) and start it with <code>POST /v1/batches</code>, or send{' '}
          <code>POST /v1/messages/batches</code>; jobs appear here with their progress.
        </Empty>
      ) : (
        <Panel title="Jobs">
          <table data-testid="batches">
            <thead>
              <tr>
                <th>Job</th>
                <th>Status</th>
                <th>Progress</th>
                <th>Cost so far</th>
                <th>ETA</th>
                <th>Runs on</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data?.data.map((job) => {
                const done = job.counts.completed + job.counts.failed;
                const share = job.counts.total > 0 ? done / job.counts.total : 0;
                return (
                  <tr key={job.id} data-batch={job.id}>
                    <td>
                      <code>{job.id}</code>
                      <div className="muted">
                        {time(job.created_at)} · {job.format} {job.endpoint}
                        {job.key_id ? ` · key ${job.key_id}` : ''}
                      </div>
                    </td>
                    <td>
                      <span className={`badge ${job.status === 'completed' ? 'closed' : job.status === 'failed' || job.status === 'paused' ? 'open' : 'half-open'}`}>{job.status}</span>
                      {job.paused_reason ? <div className="error">{job.paused_reason}</div> : null}
                    </td>
                    <td>
                      <div className="progress" title={`${job.counts.pending} pending · ${job.counts.running} running`}>
                        <span style={{ width: `${share * 100}%` }} />
                      </div>
                      <div className="muted" data-testid="batch-counts">
                        {count(done)} of {count(job.counts.total)} done{job.counts.failed > 0 ? ` (${count(job.counts.failed)} failed)` : ''}
                      </div>
                    </td>
                    <td>
                      {usd(job.cost_usd)}
                      {job.cost_cap_usd !== null ? ` of ${usd(job.cost_cap_usd)} cap` : ''}
                    </td>
                    <td>{FINISHED.has(job.status) ? '–' : eta(job.eta_seconds)}</td>
                    <td>{job.delegated ? `${job.delegated.provider}/${job.delegated.model} batch API` : 'gateway lane'}</td>
                    <td className="actions">
                      {job.status === 'paused' ? (
                        <button type="button" className="secondary" onClick={() => void act(() => api(`/admin/batches/${job.id}/resume`, { body: {} }))}>
                          Resume
                        </button>
                      ) : null}
                      {FINISHED.has(job.status) || job.status === 'cancelling' ? null : (
                        <button type="button" className="danger" onClick={() => void act(() => api(`/admin/batches/${job.id}/cancel`, { method: 'POST' }))}>
                          Cancel
                        </button>
                      )}
                      {done > 0 ? (
                        <button type="button" className="secondary" onClick={() => void act(() => download(job))}>
                          Download
                        </button>
                      ) : null}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </Panel>
      )}
    </div>
  );
}
