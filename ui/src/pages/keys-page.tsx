import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import type { AggregateRow, VirtualKey } from '../api-types';
import { Empty, ErrorNote, Panel } from '../components/notes';
import { count, time, usd } from '../format';
import { usePoll } from '../use-poll';

interface KeyUsage {
  minute: Map<string, AggregateRow>;
  today: Map<string, AggregateRow>;
  month: Map<string, AggregateRow>;
  ninetyDays: Map<string, AggregateRow>;
}

/** Seconds since a UTC boundary, as a stats window (at least one second). */
function since(start: number): string {
  return `${Math.max(1, Math.ceil((Date.now() - start) / 1000))}s`;
}

async function loadKeys(): Promise<{ keys: VirtualKey[]; usage: KeyUsage; at: number }> {
  const now = new Date();
  const dayStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const byKey = async (window: string): Promise<Map<string, AggregateRow>> =>
    new Map((await api<{ data: AggregateRow[] }>(`/admin/stats?group_by=key&window=${window}`)).data.map((row) => [row.key, row]));
  const [keys, minute, today, month, ninetyDays] = await Promise.all([
    api<{ data: VirtualKey[] }>('/admin/keys'),
    byKey('60s'),
    byKey(since(dayStart)),
    byKey(since(monthStart)),
    byKey('90d'),
  ]);
  return { keys: keys.data, usage: { minute, today, month, ninetyDays }, at: now.getTime() };
}

/** Used against a limit as a bar; no limit shows the number alone. */
function Meter({ used, limit, format }: { used: number; limit: number | undefined; format: (value: number) => string }) {
  if (limit === undefined) return <span>{format(used)}</span>;
  const share = Math.min(1, used / limit);
  return (
    <span className="meter" title={`${format(used)} of ${format(limit)}`}>
      <span className={`meter-fill ${share >= 1 ? 'full' : share >= 0.8 ? 'high' : ''}`} style={{ width: `${share * 100}%` }} />
      <span className="meter-text">
        {format(used)} / {format(limit)}
      </span>
    </span>
  );
}

const EMPTY_FORM = { name: '', owner: '', team: '', models: '', rpm: '', tpm: '', daily: '', monthly: '', total: '' };

function numberOrUndefined(text: string): number | undefined {
  return text.trim() === '' ? undefined : Number(text);
}

/** Create, list, revoke and rotate virtual keys; each key's usage against its limits and budgets. */
export function KeysPage() {
  const { data, error, reload } = usePoll(loadKeys, 'keys');
  const [form, setForm] = useState(EMPTY_FORM);
  const [secret, setSecret] = useState<{ name: string; secret: string }>();
  const [actionError, setActionError] = useState<Error>();

  async function act(action: () => Promise<void>): Promise<void> {
    try {
      await action();
      setActionError(undefined);
      reload();
    } catch (failure) {
      setActionError(failure instanceof Error ? failure : new Error(String(failure)));
    }
  }

  function create(event: FormEvent): void {
    event.preventDefault();
    const budget = { daily_usd: numberOrUndefined(form.daily), monthly_usd: numberOrUndefined(form.monthly), total_usd: numberOrUndefined(form.total) };
    const models = form.models.split(',').map((model) => model.trim()).filter(Boolean);
    const body = {
      name: form.name,
      ...(form.owner ? { owner: form.owner } : {}),
      ...(form.team ? { team: form.team } : {}),
      ...(models.length > 0 ? { models } : {}),
      ...(form.rpm ? { rpm: Number(form.rpm) } : {}),
      ...(form.tpm ? { tpm: Number(form.tpm) } : {}),
      ...(Object.values(budget).some((value) => value !== undefined) ? { budget } : {}),
    };
    void act(async () => {
      const issued = await api<{ data: VirtualKey; secret: string }>('/admin/keys', { body });
      setSecret({ name: issued.data.name, secret: issued.secret });
      setForm(EMPTY_FORM);
    });
  }

  const field = (name: keyof typeof EMPTY_FORM) => ({ value: form[name], onChange: (event: { target: { value: string } }) => setForm({ ...form, [name]: event.target.value }) });
  const noStore = error instanceof ApiError && error.status === 404;

  return (
    <div className="page">
      <div className="page-head">
        <h1>Keys and budgets</h1>
      </div>
      {noStore ? (
        <Empty title="Key management is not available on this gateway.">
          Virtual keys live in the <code>storage.url</code> database; start the gateway with a request-log store (the default SQLite file) and an admin key.
        </Empty>
      ) : (
        <ErrorNote error={error} />
      )}
      {secret ? (
        <div className="secret" role="status" data-testid="new-secret">
          <strong>Key {secret.name} created. Copy its secret now — it is shown only this once:</strong>
          <code>{secret.secret}</code>
          <button type="button" className="secondary" onClick={() => void navigator.clipboard?.writeText(secret.secret)}>
            Copy
          </button>
          <button type="button" className="link" onClick={() => setSecret(undefined)}>
            Done
          </button>
        </div>
      ) : null}
      <ErrorNote error={actionError} />
      <Panel title="Create a key">
        <form className="key-form" onSubmit={create}>
          <input placeholder="name (required)" aria-label="Name" required {...field('name')} />
          <input placeholder="owner" aria-label="Owner" {...field('owner')} />
          <input placeholder="team" aria-label="Team" {...field('team')} />
          <input placeholder="models, e.g. simulated/*, smart (empty: all)" aria-label="Models" {...field('models')} />
          <input placeholder="requests/min" aria-label="RPM" type="number" min={1} {...field('rpm')} />
          <input placeholder="tokens/min" aria-label="TPM" type="number" min={1} {...field('tpm')} />
          <input placeholder="daily USD" aria-label="Daily budget" type="number" min={0} step="any" {...field('daily')} />
          <input placeholder="monthly USD" aria-label="Monthly budget" type="number" min={0} step="any" {...field('monthly')} />
          <input placeholder="total USD" aria-label="Total budget" type="number" min={0} step="any" {...field('total')} />
          <button type="submit">Create key</button>
        </form>
      </Panel>
      <Panel title="Keys">
        {data && data.keys.length === 0 ? (
          <Empty title="No virtual keys yet.">Create one above; give each client its own key instead of a provider key.</Empty>
        ) : (
          <table data-testid="keys">
            <thead>
              <tr>
                <th>Name</th>
                <th>Prefix</th>
                <th>Models</th>
                <th>Requests/min</th>
                <th>Tokens/min</th>
                <th>Spent today (UTC)</th>
                <th>This month</th>
                <th>Last 90 days vs total</th>
                <th>State</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data?.keys.map((key) => {
                const minute = data.usage.minute.get(key.id);
                const tokens = minute ? minute.tokens.input + minute.tokens.output + minute.tokens.reasoning : 0;
                const revoked = key.revokedAt !== undefined;
                return (
                  <tr key={key.id} className={revoked ? 'revoked' : undefined} data-key={key.name}>
                    <td>
                      <strong>{key.name}</strong>
                      <div className="muted">
                        {key.id}
                        {key.team ? ` · team ${key.team}` : ''}
                        {key.owner ? ` · ${key.owner}` : ''}
                      </div>
                    </td>
                    <td>
                      <code>{key.prefix}…</code>
                    </td>
                    <td>{key.models.length > 0 ? key.models.join(', ') : 'all'}</td>
                    <td>
                      <Meter used={minute?.count ?? 0} limit={key.limits.rpm} format={count} />
                    </td>
                    <td>
                      <Meter used={tokens} limit={key.limits.tpm} format={count} />
                    </td>
                    <td>
                      <Meter used={data.usage.today.get(key.id)?.costUsd ?? 0} limit={key.budget.dailyUsd} format={usd} />
                    </td>
                    <td>
                      <Meter used={data.usage.month.get(key.id)?.costUsd ?? 0} limit={key.budget.monthlyUsd} format={usd} />
                    </td>
                    <td>
                      <Meter used={data.usage.ninetyDays.get(key.id)?.costUsd ?? 0} limit={key.budget.totalUsd} format={usd} />
                    </td>
                    <td>{revoked ? `revoked ${time(key.revokedAt ?? 0)}` : key.expiresAt && key.expiresAt < data.at ? 'expired' : 'active'}</td>
                    <td className="actions">
                      {revoked ? null : (
                        <>
                          <button
                            type="button"
                            className="secondary"
                            onClick={() =>
                              void act(async () => {
                                const issued = await api<{ data: VirtualKey; secret: string }>(`/admin/keys/${key.id}/rotate`, { method: 'POST' });
                                setSecret({ name: issued.data.name, secret: issued.secret });
                              })
                            }
                          >
                            Rotate
                          </button>
                          <button
                            type="button"
                            className="danger"
                            onClick={() => {
                              if (window.confirm(`Revoke ${key.name}? Clients using it get 401 within a second.`)) {
                                void act(async () => {
                                  await api(`/admin/keys/${key.id}/revoke`, { method: 'POST' });
                                });
                              }
                            }}
                          >
                            Revoke
                          </button>
                        </>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </Panel>
    </div>
  );
}
