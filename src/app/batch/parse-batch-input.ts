import { GatewayError, checkJsonLimits, isRecord, type InputLimits } from '../../core/index.js';
import type { BatchJob, BatchLine } from '../../ports/batch-store.js';
import { unansweredEntry } from './batch-result-entries.js';

/** The most lines one job may hold (OpenAI's own limit). */
export const MAX_BATCH_LINES = 50_000;

/** Why a line cannot run, or undefined when it can. */
function lineProblem(entry: Record<string, unknown>, endpoint: string, seen: ReadonlySet<string>): string | undefined {
  if (typeof entry.custom_id !== 'string' || entry.custom_id === '') return 'custom_id must be a non-empty string';
  if (seen.has(entry.custom_id)) return `custom_id "${entry.custom_id.slice(0, 64)}" appears more than once in the file`;
  if (entry.method !== 'POST') return 'method must be "POST"';
  if (entry.url !== endpoint) return `url must be the batch's endpoint ${endpoint}`;
  if (!isRecord(entry.body)) return 'body must be a JSON object';
  return undefined;
}

/**
 * Splits an OpenAI batch input file (JSONL of `{custom_id, method, url, body}`) into the job's lines. A line that is
 * not valid JSON, breaks the input limits or lacks a field is kept as a failed line with its error-file entry, so it
 * is reported there and never fails the whole job. Throws only when the file holds no line or too many.
 */
export function parseBatchInput(text: string, job: Pick<BatchJob, 'id' | 'endpoint' | 'format'>, limits: InputLimits): BatchLine[] {
  const lines: BatchLine[] = [];
  const seen = new Set<string>();
  const rows = text.split('\n');
  for (let number = 1; number <= rows.length; number++) {
    const row = (rows[number - 1] ?? '').trim();
    if (row === '') continue;
    if (lines.length >= MAX_BATCH_LINES) throw new GatewayError('invalid_request', `The input file has more than ${MAX_BATCH_LINES} lines`, { param: 'input_file_id' });
    const index = lines.length;
    let entry: unknown;
    try {
      entry = JSON.parse(row);
      checkJsonLimits(entry, limits);
    } catch (error) {
      const message = error instanceof GatewayError ? error.message : `line is not valid JSON: ${(error as Error).message}`;
      lines.push(failedLine(job, index, number, null, message));
      continue;
    }
    const record = isRecord(entry) ? entry : {};
    const customId = typeof record.custom_id === 'string' && record.custom_id !== '' ? record.custom_id : null;
    const problem = isRecord(entry) ? lineProblem(record, job.endpoint, seen) : 'line must be a JSON object';
    if (problem !== undefined) {
      lines.push(failedLine(job, index, number, customId, problem));
      continue;
    }
    seen.add(customId as string);
    lines.push({ jobId: job.id, index, customId: customId as string, state: 'pending', tries: 0, request: { method: 'POST', url: job.endpoint, body: record.body } });
  }
  if (lines.length === 0) throw new GatewayError('invalid_request', 'The input file holds no lines', { param: 'input_file_id' });
  return lines;
}

function failedLine(job: Pick<BatchJob, 'id' | 'format'>, index: number, number: number, customId: string | null, message: string): BatchLine {
  return {
    jobId: job.id,
    index,
    customId: customId ?? `line-${number}`,
    state: 'failed',
    tries: 0,
    result: unansweredEntry(job.format, customId, { code: 'invalid_request', message, line: number }),
  };
}
