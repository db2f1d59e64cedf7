import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { BatchFileStore, BatchJob, BatchJobStore, BatchLine, BatchProgress, BatchStatus, LineRef, LineState, StoredFile } from '../../ports/batch-store.js';
import { applySqliteMigrations } from '../request-log/migrations/apply-sqlite-migrations.js';
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

type Param = string | number | null | Buffer;

/** Batch files, jobs and lines in the embedded SQLite database, beside the request log. */
export class SqliteBatchStore implements BatchFileStore, BatchJobStore {
  private readonly db: Database.Database;

  /** Opens (creating if needed) the database at `path`, or an in-memory one for `:memory:`. */
  constructor(path: string) {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new Database(path);
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.db.pragma('busy_timeout = 5000');
  }

  async migrate(): Promise<void> {
    applySqliteMigrations(this.db);
  }

  async saveFile(file: StoredFile, content: Buffer): Promise<void> {
    this.db
      .prepare('INSERT INTO batch_files (id, purpose, filename, bytes, created_at, key_id, content) VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING')
      .run(file.id, file.purpose, file.filename, file.bytes, file.createdAt, file.keyId ?? null, content);
  }

  async getFile(id: string): Promise<StoredFile | undefined> {
    const row = this.db.prepare<[string], FileRow>('SELECT id, purpose, filename, bytes, created_at, key_id FROM batch_files WHERE id = ?').get(id);
    return row ? fromFileRow(row) : undefined;
  }

  async fileContent(id: string): Promise<Buffer | undefined> {
    return this.db.prepare<[string], { content: Buffer }>('SELECT content FROM batch_files WHERE id = ?').get(id)?.content;
  }

  async listFiles(options: { purpose?: string; keyId?: string; after?: string; limit: number }): Promise<StoredFile[]> {
    const where: string[] = [];
    const params: Param[] = [];
    const add = (clause: string, value: Param): void => {
      where.push(clause);
      params.push(value);
    };
    if (options.purpose !== undefined) add('purpose = ?', options.purpose);
    if (options.keyId !== undefined) add('key_id = ?', options.keyId);
    if (options.after !== undefined) add('(created_at, id) < (SELECT created_at, id FROM batch_files WHERE id = ?)', options.after);
    const sql = `SELECT id, purpose, filename, bytes, created_at, key_id FROM batch_files ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
    return this.db.prepare<Param[], FileRow>(sql).all(...params, options.limit).map(fromFileRow);
  }

  async deleteFile(id: string): Promise<boolean> {
    return this.db.prepare('DELETE FROM batch_files WHERE id = ?').run(id).changes > 0;
  }

  async createJob(job: BatchJob, lines: readonly BatchLine[]): Promise<void> {
    const insertLine = this.db.prepare('INSERT INTO batch_lines (job_id, idx, custom_id, state, request, result, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
    this.db.transaction(() => {
      this.db
        .prepare('INSERT INTO batch_jobs (id, format, status, key_id, created_at, data) VALUES (?, ?, ?, ?, ?, ?)')
        .run(job.id, job.format, job.status, job.keyId ?? null, job.createdAt, JSON.stringify(job));
      for (const line of lines) {
        const finished = line.state === 'done' || line.state === 'failed';
        insertLine.run(
          job.id,
          line.index,
          line.customId,
          line.state,
          line.request === undefined ? null : JSON.stringify(line.request),
          line.result === undefined ? null : JSON.stringify(line.result),
          finished ? job.createdAt : null,
        );
      }
    })();
  }

  async getJob(id: string): Promise<BatchJob | undefined> {
    const row = this.db.prepare<[string], { data: string }>('SELECT data FROM batch_jobs WHERE id = ?').get(id);
    return row ? parseJobData(row.data) : undefined;
  }

  async listJobs(options: { format?: BatchJob['format']; keyId?: string; after?: string; limit: number; statuses?: readonly BatchStatus[] }): Promise<BatchJob[]> {
    const where: string[] = [];
    const params: Param[] = [];
    const add = (clause: string, ...values: Param[]): void => {
      where.push(clause);
      params.push(...values);
    };
    if (options.format !== undefined) add('format = ?', options.format);
    if (options.keyId !== undefined) add('key_id = ?', options.keyId);
    if (options.statuses !== undefined) add(`status IN (${options.statuses.map(() => '?').join(', ') || 'NULL'})`, ...options.statuses);
    if (options.after !== undefined) add('(created_at, id) < (SELECT created_at, id FROM batch_jobs WHERE id = ?)', options.after);
    const sql = `SELECT data FROM batch_jobs ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, id DESC LIMIT ?`;
    return this.db.prepare<Param[], { data: string }>(sql).all(...params, options.limit).map((row) => parseJobData(row.data));
  }

  async updateJob(id: string, changes: Partial<Omit<BatchJob, 'id'>>, from?: readonly BatchStatus[]): Promise<boolean> {
    const params: Param[] = [jobPatch(changes), changes.status ?? null, id];
    let sql = 'UPDATE batch_jobs SET data = json_patch(data, ?), status = COALESCE(?, status) WHERE id = ?';
    if (from !== undefined) {
      sql += ` AND status IN (${from.map(() => '?').join(', ') || 'NULL'})`;
      params.push(...from);
    }
    return this.db.prepare<Param[]>(sql).run(...params).changes > 0;
  }

  async progress(jobId: string): Promise<BatchProgress> {
    return fromProgressRow(this.db.prepare<[string], ProgressRow>(`SELECT ${PROGRESS_COLUMNS} FROM batch_lines WHERE job_id = ?`).get(jobId));
  }

  async claimLines(jobId: string, claim: { owner: string; now: number; leaseUntil: number; limit: number; indexes?: readonly number[] }): Promise<BatchLine[]> {
    const params: Param[] = [claim.owner, claim.leaseUntil, jobId, claim.now];
    let only = '';
    if (claim.indexes !== undefined) {
      only = ` AND idx IN (${claim.indexes.map(() => '?').join(', ') || 'NULL'})`;
      params.push(...claim.indexes);
    }
    const sql = `UPDATE batch_lines SET state = 'running', owner = ?, lease_until = ?, tries = tries + 1
      WHERE rowid IN (SELECT rowid FROM batch_lines WHERE job_id = ? AND (state = 'pending' OR (state = 'running' AND lease_until < ?))${only} ORDER BY idx LIMIT ?)
      RETURNING ${LINE_COLUMNS}`;
    const rows = this.db.prepare<Param[], LineRow>(sql).all(...params, claim.limit);
    return rows.map(fromLineRow).sort((a, b) => a.index - b.index);
  }

  async finishLine(jobId: string, index: number, outcome: { state: LineState; result?: unknown; costUsd?: number; at: number }): Promise<boolean> {
    const pending = outcome.state === 'pending';
    const result = this.db
      .prepare<Param[]>(
        `UPDATE batch_lines SET state = ?, result = ?, cost_usd = ?, finished_at = ?, owner = NULL, lease_until = 0 WHERE job_id = ? AND idx = ? AND state NOT IN ('done', 'failed')`,
      )
      .run(
        outcome.state,
        outcome.result === undefined ? null : JSON.stringify(outcome.result),
        outcome.costUsd ?? null,
        pending ? null : outcome.at,
        jobId,
        index,
      );
    return result.changes > 0;
  }

  async lineAt(jobId: string, index: number): Promise<BatchLine | undefined> {
    const row = this.db.prepare<[string, number], LineRow>(`SELECT ${LINE_COLUMNS} FROM batch_lines WHERE job_id = ? AND idx = ?`).get(jobId, index);
    return row ? fromLineRow(row) : undefined;
  }

  async finishedLines(jobId: string, fromIndex: number, limit: number): Promise<BatchLine[]> {
    return this.db
      .prepare<[string, number, number], LineRow>(`SELECT ${LINE_COLUMNS} FROM batch_lines WHERE job_id = ? AND idx >= ? AND state IN ('done', 'failed') ORDER BY idx LIMIT ?`)
      .all(jobId, fromIndex, limit)
      .map(fromLineRow);
  }

  async renewLeases(owner: string, lines: readonly LineRef[], leaseUntil: number): Promise<number> {
    const renew = this.db.prepare<[number, string, number, string]>("UPDATE batch_lines SET lease_until = ? WHERE job_id = ? AND idx = ? AND state = 'running' AND owner = ?");
    return this.db.transaction(() => lines.reduce((renewed, line) => renewed + renew.run(leaseUntil, line.jobId, line.index, owner).changes, 0))();
  }

  async expiredLines(jobId: string, now: number, limit: number): Promise<number[]> {
    return this.db
      .prepare<[string, number, number], { idx: number }>("SELECT idx FROM batch_lines WHERE job_id = ? AND state = 'running' AND lease_until < ? ORDER BY idx LIMIT ?")
      .all(jobId, now, limit)
      .map((row) => row.idx);
  }

  async releaseOrphans(isGone: (owner: string) => boolean): Promise<number> {
    const owners = this.db.prepare<[], { owner: string }>("SELECT DISTINCT owner FROM batch_lines WHERE state = 'running' AND owner IS NOT NULL").all();
    let released = 0;
    for (const { owner } of owners) {
      if (isGone(owner)) released += this.db.prepare("UPDATE batch_lines SET lease_until = 0 WHERE state = 'running' AND owner = ?").run(owner).changes;
    }
    return released;
  }

  async close(): Promise<void> {
    this.db.close();
  }
}
