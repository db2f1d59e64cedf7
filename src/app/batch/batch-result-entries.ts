import { randomBytes } from 'node:crypto';
import type { BatchJob } from '../../ports/batch-store.js';

/** An error of a line that never reached a model (malformed, cancelled, expired), in the job's result format. */
export interface LineError {
  code: string;
  message: string;
  /** 1-based line number in the input file, for malformed lines. */
  line?: number;
}

function batchRequestId(): string {
  return `batch_req_${randomBytes(12).toString('hex')}`;
}

/** Anthropic's error type for an HTTP status, as in its error bodies. */
function anthropicErrorType(code: string): string {
  if (code === 'batch_cancelled') return 'canceled';
  if (code === 'batch_expired') return 'expired';
  return 'errored';
}

/** The result-file entry of a line that a model answered (`status` 200) or that failed with an HTTP error body. */
export function answeredEntry(format: BatchJob['format'], customId: string, requestId: string, status: number, body: unknown): unknown {
  if (format === 'anthropic') {
    return status === 200 ? { custom_id: customId, result: { type: 'succeeded', message: body } } : { custom_id: customId, result: { type: 'errored', error: body } };
  }
  return { id: batchRequestId(), custom_id: customId, response: { status_code: status, request_id: requestId, body }, error: null };
}

/** The result-file entry of a line that never reached a model. */
export function unansweredEntry(format: BatchJob['format'], customId: string | null, error: LineError): unknown {
  if (format === 'anthropic') {
    const type = anthropicErrorType(error.code);
    if (type !== 'errored') return { custom_id: customId, result: { type } };
    return { custom_id: customId, result: { type, error: { type: 'error', error: { type: 'invalid_request_error', message: error.message } } } };
  }
  const described = { code: error.code, message: error.message, ...(error.line === undefined ? {} : { line: error.line }) };
  return { id: batchRequestId(), custom_id: customId, response: null, error: described };
}
