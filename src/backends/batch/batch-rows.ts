import type { BatchJob, BatchLine, BatchProgress, LineState, StoredFile } from '../../ports/batch-store.js';

/** A `batch_files` row without its content. */
export interface FileRow {
  id: string;
  purpose: string;
  filename: string;
  bytes: number | string;
  created_at: number | string;
  key_id: string | null;
}

/** A `batch_lines` row; JSON columns arrive as text (SQLite) or parsed (Postgres). */
export interface LineRow {
  job_id: string;
  idx: number;
  custom_id: string;
  state: string;
  request: unknown;
  result: unknown;
  tries: number;
  cost_usd: number | null;
}

/** The aggregate row `progress` reads. */
export interface ProgressRow {
  total: number | string;
  pending: number | string | null;
  running: number | string | null;
  done: number | string | null;
  failed: number | string | null;
  cost: number | string | null;
  first_at: number | string | null;
  last_at: number | string | null;
}

export const PROGRESS_COLUMNS = `COUNT(*) AS total,
  SUM(CASE WHEN state = 'pending' THEN 1 ELSE 0 END) AS pending,
  SUM(CASE WHEN state = 'running' THEN 1 ELSE 0 END) AS running,
  SUM(CASE WHEN state = 'done' THEN 1 ELSE 0 END) AS done,
  SUM(CASE WHEN state = 'failed' THEN 1 ELSE 0 END) AS failed,
  SUM(cost_usd) AS cost, MIN(finished_at) AS first_at, MAX(finished_at) AS last_at`;

export const LINE_COLUMNS = 'job_id, idx, custom_id, state, request, result, tries, cost_usd';

export function fromFileRow(row: FileRow): StoredFile {
  const file: StoredFile = { id: row.id, purpose: row.purpose, filename: row.filename, bytes: Number(row.bytes), createdAt: Number(row.created_at) };
  if (row.key_id !== null) file.keyId = row.key_id;
  return file;
}

function parsedJson(value: unknown): unknown {
  return typeof value === 'string' ? JSON.parse(value) : value;
}

export function fromLineRow(row: LineRow): BatchLine {
  const line: BatchLine = { jobId: row.job_id, index: Number(row.idx), customId: row.custom_id, state: row.state as LineState, tries: Number(row.tries) };
  const request = parsedJson(row.request);
  if (request !== null && request !== undefined) line.request = request as NonNullable<BatchLine['request']>;
  const result = parsedJson(row.result);
  if (result !== null && result !== undefined) line.result = result;
  if (row.cost_usd !== null) line.costUsd = Number(row.cost_usd);
  return line;
}

/** The job record kept as JSON; nulls mark fields a later change removed. */
export function parseJobData(data: unknown): BatchJob {
  const record = parsedJson(data) as Record<string, unknown>;
  for (const [key, value] of Object.entries(record)) if (value === null) delete record[key];
  return record as unknown as BatchJob;
}

/** A change to a job as a JSON merge patch: fields set to undefined become null, which removes them. */
export function jobPatch(changes: Partial<Omit<BatchJob, 'id'>>): string {
  return JSON.stringify(changes, (_key, value: unknown) => (value === undefined ? null : value));
}

export function fromProgressRow(row: ProgressRow | undefined): BatchProgress {
  const count = (value: number | string | null | undefined): number => Number(value ?? 0);
  const progress: BatchProgress = {
    total: count(row?.total),
    pending: count(row?.pending),
    running: count(row?.running),
    done: count(row?.done),
    failed: count(row?.failed),
    costUsd: count(row?.cost),
  };
  if (row?.first_at !== null && row?.first_at !== undefined) progress.firstFinishedAt = Number(row.first_at);
  if (row?.last_at !== null && row?.last_at !== undefined) progress.lastFinishedAt = Number(row.last_at);
  return progress;
}
