import pg from 'pg';
import type { BatchFileStore, BatchJob, BatchJobStore, BatchLine, BatchProgress, BatchStatus, LineRef, LineState, StoredFile } from '../../ports/batch-store.js';
import { applyPostgresMigrations } from '../request-log/migrations/apply-postgres-migrations.js';
import {
  LINE_COLUMNS,
  PROGRESS_COLUMNS,
  fromFileRow,
  fromLineRow,
  fromProgressRow,
  jobPatch,
  parseJobData,
  type FileRow,
  type LineRow,
  type ProgressRow,
} from './batch-rows.js';

export interface PostgresBatchStoreOptions {
  connectionString: string;
  schema?: string;
  /** Called for errors on idle pooled connections; they must not crash the gateway. */
  onError?: (error: Error) => void;
}

/** Collects WHERE clauses with numbered parameters. */
class Conditions {
  readonly clauses: string[] = [];
  constructor(readonly params: unknown[] = []) {}

  /** Adds a clause whose `$?` is replaced by the next parameter number. */
  add(clause: string, value: unknown): void {
    this.params.push(value);
    this.clauses.push(clause.replace('$?', `$${this.params.length}`));
  }

  where(): string {
    return this.clauses.length ? `WHERE ${this.clauses.join(' AND ')}` : '';
  }
}

/** Batch files, jobs and lines in Postgres; line claims use row locks with SKIP LOCKED, so replicas never share a line. */
export class PostgresBatchStore implements BatchFileStore, BatchJobStore {
  private readonly pool: pg.Pool;
  private readonly schema: string | undefined;

  /** Creates a small pool; nothing connects until the first call. */
  constructor(options: PostgresBatchStoreOptions) {
    this.schema = options.schema;
    this.pool = new pg.Pool({
      connectionString: options.connectionString,
      max: 4,
      connectionTimeoutMillis: 5_000,
      query_timeout: 30_000,
      ...(options.schema === undefined ? {} : { options: `-c search_path=${options.schema}` }),
    });
    this.pool.on('error', options.onError ?? (() => undefined));
  }

  async migrate(): Promise<void> {
    await applyPostgresMigrations(this.pool, this.schema);
  }

  async saveFile(file: StoredFile, content: Buffer): Promise<void> {
    await this.pool.query(
      'INSERT INTO batch_files (id, purpose, filename, bytes, created_at, key_id, content) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING',
      [file.id, file.purpose, file.filename, file.bytes, file.createdAt, file.keyId ?? null, content],
    );
  }

  async getFile(id: string): Promise<StoredFile | undefined> {
    const result = await this.pool.query<FileRow>('SELECT id, purpose, filename, bytes, created_at, key_id FROM batch_files WHERE id = $1', [id]);
    const row = result.rows[0];
    return row ? fromFileRow(row) : undefined;
  }

  async fileContent(id: string): Promise<Buffer | undefined> {
    const result = await this.pool.query<{ content: Buffer }>('SELECT content FROM batch_files WHERE id = $1', [id]);
    return result.rows[0]?.content;
  }

  async listFiles(options: { purpose?: string; keyId?: string; after?: string; limit: number }): Promise<StoredFile[]> {
    const conditions = new Conditions();
    if (options.purpose !== undefined) conditions.add('purpose = $?', options.purpose);
    if (options.keyId !== undefined) conditions.add('key_id = $?', options.keyId);
    if (options.after !== undefined) conditions.add('(created_at, id) < (SELECT created_at, id FROM batch_files WHERE id = $?)', options.after);
    conditions.params.push(options.limit);
    const sql = `SELECT id, purpose, filename, bytes, created_at, key_id FROM batch_files ${conditions.where()} ORDER BY created_at DESC, id DESC LIMIT $${conditions.params.length}`;
    const result = await this.pool.query<FileRow>(sql, conditions.params);
    return result.rows.map(fromFileRow);
  }

  async deleteFile(id: string): Promise<boolean> {
    const result = await this.pool.query('DELETE FROM batch_files WHERE id = $1', [id]);
    return (result.rowCount ?? 0) > 0;
  }

  async createJob(job: BatchJob, lines: readonly BatchLine[]): Promise<void> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query('INSERT INTO batch_jobs (id, format, status, key_id, created_at, data) VALUES ($1, $2, $3, $4, $5, $6)', [
        job.id,
        job.format,
        job.status,
        job.keyId ?? null,
        job.createdAt,
        JSON.stringify(job),
      ]);
      // One statement per 500 lines: unnest of parallel arrays keeps the parameter count fixed.
      for (let start = 0; start < lines.length; start += 500) {
        const slice = lines.slice(start, start + 500);
        await client.query(
          `INSERT INTO batch_lines (job_id, idx, custom_id, state, request, result, finished_at)
           SELECT $1, * FROM unnest($2::int[], $3::text[], $4::text[], $5::jsonb[], $6::jsonb[], $7::bigint[])`,
          [
            job.id,
            slice.map((line) => line.index),
            slice.map((line) => line.customId),
            slice.map((line) => line.state),
            slice.map((line) => (line.request === undefined ? null : JSON.stringify(line.request))),
            slice.map((line) => (line.result === undefined ? null : JSON.stringify(line.result))),
            slice.map((line) => (line.state === 'done' || line.state === 'failed' ? job.createdAt : null)),
          ],
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async getJob(id: string): Promise<BatchJob | undefined> {
    const result = await this.pool.query<{ data: unknown }>('SELECT data FROM batch_jobs WHERE id = $1', [id]);
    const row = result.rows[0];
    return row ? parseJobData(row.data) : undefined;
  }

  async listJobs(options: { format?: BatchJob['format']; keyId?: string; after?: string; limit: number; statuses?: readonly BatchStatus[] }): Promise<BatchJob[]> {
    const conditions = new Conditions();
    if (options.format !== undefined) conditions.add('format = $?', options.format);
    if (options.keyId !== undefined) conditions.add('key_id = $?', options.keyId);
    if (options.statuses !== undefined) conditions.add('status = ANY($?::text[])', options.statuses);
    if (options.after !== undefined) conditions.add('(created_at, id) < (SELECT created_at, id FROM batch_jobs WHERE id = $?)', options.after);
    conditions.params.push(options.limit);
    const sql = `SELECT data FROM batch_jobs ${conditions.where()} ORDER BY created_at DESC, id DESC LIMIT $${conditions.params.length}`;
    const result = await this.pool.query<{ data: unknown }>(sql, conditions.params);
    return result.rows.map((row) => parseJobData(row.data));
  }

  async updateJob(id: string, changes: Partial<Omit<BatchJob, 'id'>>, from?: readonly BatchStatus[]): Promise<boolean> {
    const conditions = new Conditions([jobPatch(changes), changes.status ?? null]);
    conditions.add('id = $?', id);
    if (from !== undefined) conditions.add('status = ANY($?::text[])', from);
    const result = await this.pool.query(
      `UPDATE batch_jobs SET data = jsonb_strip_nulls(data || $1::jsonb), status = COALESCE($2::text, status) ${conditions.where()}`,
      conditions.params,
    );
    return (result.rowCount ?? 0) > 0;
  }

  async progress(jobId: string): Promise<BatchProgress> {
    const result = await this.pool.query<ProgressRow>(`SELECT ${PROGRESS_COLUMNS} FROM batch_lines WHERE job_id = $1`, [jobId]);
    return fromProgressRow(result.rows[0]);
  }

  async claimLines(jobId: string, claim: { owner: string; now: number; leaseUntil: number; limit: number; indexes?: readonly number[] }): Promise<BatchLine[]> {
    const conditions = new Conditions([claim.owner, claim.leaseUntil, claim.limit]);
    conditions.add('job_id = $?', jobId);
    conditions.add("(state = 'pending' OR (state = 'running' AND lease_until < $?))", claim.now);
    if (claim.indexes !== undefined) conditions.add('idx = ANY($?::int[])', claim.indexes);
    const result = await this.pool.query<LineRow>(
      `UPDATE batch_lines SET state = 'running', owner = $1, lease_until = $2, tries = tries + 1
       WHERE (job_id, idx) IN (SELECT job_id, idx FROM batch_lines ${conditions.where()} ORDER BY idx LIMIT $3 FOR UPDATE SKIP LOCKED)
       RETURNING ${LINE_COLUMNS}`,
      conditions.params,
    );
    return result.rows.map(fromLineRow).sort((a, b) => a.index - b.index);
  }

  async finishLine(jobId: string, index: number, outcome: { state: LineState; result?: unknown; costUsd?: number; at: number }): Promise<boolean> {
    const result = await this.pool.query(
      `UPDATE batch_lines SET state = $1, result = $2::jsonb, cost_usd = $3, finished_at = $4, owner = NULL, lease_until = 0
       WHERE job_id = $5 AND idx = $6 AND state NOT IN ('done', 'failed')`,
      [
        outcome.state,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        outcome.costUsd ?? null,
        outcome.state === 'pending' ? null : outcome.at,
        jobId,
        index,
      ],
    );
    return (result.rowCount ?? 0) > 0;
  }

  async lineAt(jobId: string, index: number): Promise<BatchLine | undefined> {
    const result = await this.pool.query<LineRow>(`SELECT ${LINE_COLUMNS} FROM batch_lines WHERE job_id = $1 AND idx = $2`, [jobId, index]);
    const row = result.rows[0];
    return row ? fromLineRow(row) : undefined;
  }

  async finishedLines(jobId: string, fromIndex: number, limit: number): Promise<BatchLine[]> {
    const result = await this.pool.query<LineRow>(
      `SELECT ${LINE_COLUMNS} FROM batch_lines WHERE job_id = $1 AND idx >= $2 AND state IN ('done', 'failed') ORDER BY idx LIMIT $3`,
      [jobId, fromIndex, limit],
    );
    return result.rows.map(fromLineRow);
  }

  async renewLeases(owner: string, lines: readonly LineRef[], leaseUntil: number): Promise<number> {
    if (lines.length === 0) return 0;
    const result = await this.pool.query(
      `UPDATE batch_lines SET lease_until = $1
       WHERE state = 'running' AND owner = $2 AND (job_id, idx) IN (SELECT * FROM unnest($3::text[], $4::int[]))`,
      [leaseUntil, owner, lines.map((line) => line.jobId), lines.map((line) => line.index)],
    );
    return result.rowCount ?? 0;
  }

  async expiredLines(jobId: string, now: number, limit: number): Promise<number[]> {
    const result = await this.pool.query<{ idx: number }>(
      "SELECT idx FROM batch_lines WHERE job_id = $1 AND state = 'running' AND lease_until < $2 ORDER BY idx LIMIT $3",
      [jobId, now, limit],
    );
    return result.rows.map((row) => Number(row.idx));
  }

  async releaseOrphans(isGone: (owner: string) => boolean): Promise<number> {
    const owners = await this.pool.query<{ owner: string }>("SELECT DISTINCT owner FROM batch_lines WHERE state = 'running' AND owner IS NOT NULL");
    let released = 0;
    for (const { owner } of owners.rows) {
      if (!isGone(owner)) continue;
      const result = await this.pool.query("UPDATE batch_lines SET lease_until = 0 WHERE state = 'running' AND owner = $1", [owner]);
      released += result.rowCount ?? 0;
    }
    return released;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
