import type { RequestRecord } from '../api-types';

/** Pretty JSON of a stored body (already redacted by the gateway). */
function pretty(body: unknown): string {
  return typeof body === 'string' ? body : JSON.stringify(body, null, 2);
}

/**
 * The request's stored bodies while body retention keeps them, a note once they expired (the record outlives them),
 * or a hint that bodies were not stored.
 */
export function RequestBodies({ record }: { record: RequestRecord }) {
  if (record.bodiesExpired) {
    return (
      <p className="muted" data-testid="request-bodies">
        Bodies expired: they are kept for <code>storage.body_retention_days</code>, the record for <code>storage.retention_days</code>.
      </p>
    );
  }
  if (record.requestBody === undefined && record.responseBody === undefined) {
    return (
      <p className="muted" data-testid="request-bodies">
        No bodies stored for this request (<code>storage.store_bodies</code>).
      </p>
    );
  }
  const shown: Array<[string, unknown]> = [
    ['Request body', record.requestBody],
    ['Response body', record.responseBody],
  ];
  return (
    <div className="bodies" data-testid="request-bodies">
      {shown
        .filter(([, body]) => body !== undefined)
        .map(([title, body]) => (
          <div key={title}>
            <h3>{title}</h3>
            <pre className="output">{pretty(body)}</pre>
          </div>
        ))}
    </div>
  );
}
