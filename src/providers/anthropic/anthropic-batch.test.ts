import { describe, expect, it } from 'vitest';
import { fromAnthropicCustomId, toAnthropicCustomId } from './anthropic-batch-custom-id.js';
import { anthropicBatchStatus, anthropicResultsPath, readAnthropicBatch } from './anthropic-batch.js';

const ENDED = {
  id: 'msgbatch_01',
  type: 'message_batch',
  processing_status: 'ended',
  request_counts: { processing: 0, succeeded: 2, errored: 1, canceled: 0, expired: 0 },
  results_url: 'https://api.anthropic.com/v1/messages/batches/msgbatch_01/results',
  cancel_initiated_at: null,
};

describe('Anthropic message batch', () => {
  it('keeps custom_ids Anthropic accepts and encodes the others reversibly', () => {
    for (const id of ['doc-1', 'a_b', 'report 2024.pdf', 'b64-abc', 'é', 'x'.repeat(64)]) {
      const sent = toAnthropicCustomId(id);
      expect(sent).toMatch(/^[a-zA-Z0-9_-]{1,64}$/);
      expect(fromAnthropicCustomId(sent ?? '')).toBe(id);
    }
    expect(toAnthropicCustomId('doc-1')).toBe('doc-1');
    expect(toAnthropicCustomId('y'.repeat(65))).toBeUndefined();
  });

  it('reads results_url only under the configured base, so the key never goes to another host', () => {
    const batch = readAnthropicBatch(ENDED, 'claude');
    expect(anthropicResultsPath(batch, 'https://api.anthropic.com')).toBe('/v1/messages/batches/msgbatch_01/results');
    const elsewhere = readAnthropicBatch({ ...ENDED, results_url: 'https://evil.example/v1/messages/batches/msgbatch_01/results?x=1' }, 'claude');
    expect(anthropicResultsPath(elsewhere, 'https://api.anthropic.com')).toBe('/v1/messages/batches/msgbatch_01/results');
    expect(anthropicResultsPath(batch, 'https://proxy.internal/anthropic')).toBe('/v1/messages/batches/msgbatch_01/results');
  });

  it('tells a completed batch from a cancelled or wholly expired one', () => {
    expect(anthropicBatchStatus(readAnthropicBatch(ENDED, 'claude'))).toEqual({ state: 'completed', total: 3, completed: 2, failed: 1 });
    expect(anthropicBatchStatus(readAnthropicBatch({ ...ENDED, cancel_initiated_at: '2026-12-05T06:05:00Z' }, 'claude')).state).toBe('cancelled');
    const expired = { ...ENDED, request_counts: { processing: 0, succeeded: 0, errored: 0, canceled: 0, expired: 3 } };
    expect(anthropicBatchStatus(readAnthropicBatch(expired, 'claude')).state).toBe('expired');
    expect(anthropicBatchStatus(readAnthropicBatch({ ...ENDED, processing_status: 'canceling' }, 'claude')).state).toBe('in_progress');
  });

  it('rejects a body that is not a message batch as a malformed upstream response', () => {
    expect(() => readAnthropicBatch({ id: 'x' }, 'claude')).toThrow(expect.objectContaining({ code: 'upstream_malformed_response' }));
  });
});
