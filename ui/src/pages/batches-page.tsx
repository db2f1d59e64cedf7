import { api, ApiError } from '../api';
import { Empty, ErrorNote } from '../components/notes';
import { usePoll } from '../use-poll';

/** Batch jobs: shown once the gateway serves `GET /admin/batches`. */
export function BatchesPage() {
  const { data, error } = usePoll(
    () =>
      api<{ data: unknown[] }>('/admin/batches').catch((failure: unknown) => {
        if (failure instanceof ApiError && failure.status === 404) return undefined;
        throw failure;
      }),
    'batches',
    2000,
  );
  return (
    <div className="page">
      <div className="page-head">
        <h1>Batches</h1>
      </div>
      <ErrorNote error={error} />
      {data === undefined && !error ? <Empty title="This gateway does not run batch jobs (no GET /admin/batches).">Batch jobs arrive with a later version.</Empty> : null}
    </div>
  );
}
