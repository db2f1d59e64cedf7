import type { ReactNode } from 'react';
import { ApiError } from '../api';

/** A block saying there is nothing here yet, and what to do to change that. */
export function Empty({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="empty">
      <strong>{title}</strong>
      {children ? <div>{children}</div> : null}
    </div>
  );
}

/** The gateway's own error text for a failed call (never a stack). */
export function ErrorNote({ error }: { error: Error | undefined }) {
  if (!error) return null;
  const detail = error instanceof ApiError ? `${error.message} (${error.code})` : error.message;
  return (
    <p className="error" role="alert">
      {detail}
    </p>
  );
}

/** One headline number. */
export function Stat({ label, value, hint }: { label: string; value: string; hint?: string }) {
  return (
    <div className="stat">
      <span className="stat-label">{label}</span>
      <span className="stat-value">{value}</span>
      {hint ? <span className="stat-hint">{hint}</span> : null}
    </div>
  );
}

/** A titled panel. */
export function Panel({ title, actions, children }: { title: string; actions?: ReactNode; children: ReactNode }) {
  return (
    <section className="panel">
      <header>
        <h2>{title}</h2>
        {actions}
      </header>
      {children}
    </section>
  );
}
