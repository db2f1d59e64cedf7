import { useState, type FormEvent } from 'react';
import { api, query } from '../api';
import type { RequestRecord, TimelineEntry } from '../api-types';
import { AttemptTimeline } from '../components/attempt-timeline';
import { Empty, ErrorNote, Panel } from '../components/notes';
import { RequestBodies } from '../components/request-bodies';
import { count, ms, time, usd } from '../format';
import { usePoll } from '../use-poll';

interface Filters {
  model: string;
  provider: string;
  key: string;
  status: string;
  fallback: string;
  from: string;
  to: string;
}

const NO_FILTERS: Filters = { model: '', provider: '', key: '', status: '', fallback: '', from: '', to: '' };
const PAGE_SIZE = 25;

/** `datetime-local` text (local time) as epoch ms for the API. */
function epoch(local: string): number | undefined {
  if (local === '') return undefined;
  const value = new Date(local).getTime();
  return Number.isFinite(value) ? value : undefined;
}

function RequestDetail({ id }: { id: string }) {
  const { data, error } = usePoll(() => api<{ data: RequestRecord; timeline: TimelineEntry[] }>(`/admin/requests/${encodeURIComponent(id)}`), id, 0);
  return (
    <Panel title={`Request ${id}`} actions={<a href="#/requests">Close</a>}>
      <ErrorNote error={error} />
      {data ? (
        <>
          <p className="muted">
            {time(data.data.startedAt)} · {data.data.clientFormat} · asked for <strong>{data.data.requestedModel ?? '–'}</strong>
            {data.data.provider ? ` · served by ${data.data.provider}/${data.data.model ?? ''}` : ''}
            {data.data.keyId ? ` · key ${data.data.keyId}` : ''}
          </p>
          <AttemptTimeline record={data.data} timeline={data.timeline} />
          <RequestBodies record={data.data} />
        </>
      ) : null}
    </Panel>
  );
}

/** The request log, filtered and paged, and one request's attempt timeline and bodies. */
export function RequestsPage({ selected }: { selected: string | undefined }) {
  const [draft, setDraft] = useState<Filters>(NO_FILTERS);
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  // Cursors of the pages before the current one; the first page has none.
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors.at(-1);
  const params = {
    model: filters.model,
    provider: filters.provider,
    key: filters.key,
    status: filters.status,
    fallback: filters.fallback,
    from: epoch(filters.from),
    to: epoch(filters.to),
    limit: PAGE_SIZE,
    cursor,
  };
  const path = `/admin/requests${query(params)}`;
  // Only the newest page refreshes by itself; older pages stay put while they are read.
  const { data, error } = usePoll(() => api<{ data: RequestRecord[]; nextCursor: string | null }>(path), path, cursor ? 0 : 5000);

  function apply(event: FormEvent): void {
    event.preventDefault();
    setFilters(draft);
    setCursors([]);
  }
  const field = (name: keyof Filters) => ({ value: draft[name], onChange: (event: { target: { value: string } }) => setDraft({ ...draft, [name]: event.target.value }) });
  const filtered = Object.values(filters).some((value) => value !== '');

  return (
    <div className="page">
      <div className="page-head">
        <h1>Requests</h1>
      </div>
      <form className="filters" onSubmit={apply}>
        <input placeholder="model or alias" aria-label="Model" {...field('model')} />
        <input placeholder="provider" aria-label="Provider" {...field('provider')} />
        <input placeholder="key id" aria-label="Key" {...field('key')} />
        <select aria-label="Status" {...field('status')}>
          <option value="">any status</option>
          <option value="ok">ok (&lt; 400)</option>
          <option value="error">error (≥ 400)</option>
          <option value="429">429</option>
          <option value="502">502</option>
          <option value="504">504</option>
        </select>
        <select aria-label="Fallback" {...field('fallback')}>
          <option value="">fallback or not</option>
          <option value="true">fallback fired</option>
          <option value="false">first attempt served</option>
        </select>
        <label className="inline">
          from <input type="datetime-local" aria-label="From" {...field('from')} />
        </label>
        <label className="inline">
          to <input type="datetime-local" aria-label="To" {...field('to')} />
        </label>
        <button type="submit">Apply</button>
        <button
          type="button"
          className="secondary"
          onClick={() => {
            setDraft(NO_FILTERS);
            setFilters(NO_FILTERS);
            setCursors([]);
          }}
        >
          Clear
        </button>
      </form>
      <ErrorNote error={error} />
      {selected ? <RequestDetail id={selected} /> : null}
      {data && data.data.length === 0 ? (
        <Empty title={filtered ? 'No request matches these filters.' : 'No requests recorded yet.'}>
          {filtered ? 'Clear a filter or widen the time range.' : 'Send a request through the gateway; it appears here within a second.'}
        </Empty>
      ) : (
        <table className="clickable" data-testid="requests">
          <thead>
            <tr>
              <th>Time</th>
              <th>Model</th>
              <th>Served by</th>
              <th>Status</th>
              <th>Attempts</th>
              <th>Latency</th>
              <th>TTFT</th>
              <th>Tokens in/out</th>
              <th>Cost</th>
              <th>Key</th>
            </tr>
          </thead>
          <tbody>
            {data?.data.map((record) => (
              <tr
                key={record.id}
                className={record.id === selected ? 'selected' : undefined}
                onClick={() => {
                  window.location.hash = `#/requests/${encodeURIComponent(record.id)}`;
                }}
              >
                <td>
                  <a href={`#/requests/${encodeURIComponent(record.id)}`}>{time(record.startedAt)}</a>
                </td>
                <td>{record.requestedModel ?? '–'}</td>
                <td>{record.provider ? `${record.provider}/${record.model ?? ''}` : '–'}</td>
                <td>
                  <span className={`badge ${record.status < 400 ? 'closed' : 'open'}`}>{record.status}</span> {record.errorCode ?? ''}
                </td>
                <td>{record.attempts.length > 1 ? <strong>{record.attempts.length} (fallback)</strong> : record.attempts.length}</td>
                <td>{ms(record.latencyMs)}</td>
                <td>{ms(record.ttftMs)}</td>
                <td>
                  {count(record.usage?.inputTokens ?? 0)} / {count(record.usage?.outputTokens ?? 0)}
                </td>
                <td>{usd(record.costUsd)}</td>
                <td>{record.keyId ?? '–'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="pager">
        <button type="button" className="secondary" disabled={cursors.length === 0} onClick={() => setCursors(cursors.slice(0, -1))}>
          ← Newer
        </button>
        <span>Page {cursors.length + 1}</span>
        <button type="button" className="secondary" disabled={!data?.nextCursor} onClick={() => data?.nextCursor && setCursors([...cursors, data.nextCursor])}>
          Older →
        </button>
      </div>
    </div>
  );
}
