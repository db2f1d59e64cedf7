import type { BatchFileStore, BatchJob, BatchJobStore } from '../../ports/batch-store.js';

const PAGE = 1000;

/** The ids a job's output and error files get: fixed by the job id, so writing them twice writes the same files. */
function resultFileIds(jobId: string): { output: string; errors: string } {
  const base = `file-${jobId.replace(/^(batch_|msgbatch_)/, '')}`;
  return { output: `${base}-output`, errors: `${base}-errors` };
}

/**
 * Writes a finished job's output file (answered lines) and error file (every other line), JSONL in input order, and
 * returns the ids of those it wrote: a file with no line is not written, as OpenAI does.
 */
export async function writeResultFiles(
  store: Pick<BatchFileStore, 'saveFile'> & Pick<BatchJobStore, 'finishedLines'>,
  job: BatchJob,
  now: number,
): Promise<Pick<BatchJob, 'outputFileId' | 'errorFileId'>> {
  const output: string[] = [];
  const errors: string[] = [];
  for (let from = 0; ; ) {
    const lines = await store.finishedLines(job.id, from, PAGE);
    for (const line of lines) (line.state === 'done' ? output : errors).push(JSON.stringify(line.result));
    if (lines.length < PAGE) break;
    from = (lines.at(-1)?.index ?? from) + 1;
  }
  const ids = resultFileIds(job.id);
  const written: Pick<BatchJob, 'outputFileId' | 'errorFileId'> = {};
  const save = async (id: string, rows: string[], name: string): Promise<void> => {
    const content = Buffer.from(rows.map((row) => `${row}\n`).join(''), 'utf8');
    await store.saveFile({ id, purpose: 'batch_output', filename: name, bytes: content.length, createdAt: now, ...(job.keyId === undefined ? {} : { keyId: job.keyId }) }, content);
  };
  if (output.length > 0) {
    await save(ids.output, output, `${job.id}_output.jsonl`);
    written.outputFileId = ids.output;
  }
  if (errors.length > 0) {
    await save(ids.errors, errors, `${job.id}_error.jsonl`);
    written.errorFileId = ids.errors;
  }
  return written;
}
