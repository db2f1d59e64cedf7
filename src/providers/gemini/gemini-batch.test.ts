import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProviderSettings, Target } from '../../core/index.js';
import { decodeGeminiInlinedResponses, geminiBatchPaths, geminiBatchStatus, readGeminiBatch } from './gemini-batch.js';

const operation = JSON.parse(readFileSync(new URL('../../wire/gemini/__fixtures__/gemini-batch-succeeded.json', import.meta.url), 'utf8')) as unknown;
const target: Target = { provider: { id: 'g', type: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', headers: {}, options: {} } as ProviderSettings, model: 'gemini-2.5-flash' };

describe('Gemini batch operation', () => {
  it('reads a done operation: string int64 stats, inlined responses and errors keyed by metadata.key', () => {
    const batch = readGeminiBatch(operation, 'g');
    expect(geminiBatchStatus(batch)).toEqual({ state: 'completed', total: 2, completed: 1, failed: 1 });
    const [ok, failed] = decodeGeminiInlinedResponses(batch, target);
    expect(ok).toMatchObject({ customId: 'request-1', ok: true, usage: { inputTokens: 8, outputTokens: 15 } });
    // The inlined error's `code` is gRPC's 3, not HTTP: its status name makes it a 400.
    expect(failed).toMatchObject({ customId: 'request-2', ok: false, error: { code: 'upstream_bad_request', status: 400 } });
  });

  it('maps every batch state and keeps pending ones in progress', () => {
    const withState = (state: string) => geminiBatchStatus(readGeminiBatch({ name: 'batches/1', metadata: { state } }, 'g')).state;
    expect(['BATCH_STATE_PENDING', 'BATCH_STATE_RUNNING', 'BATCH_STATE_UNSPECIFIED', 'toString'].map(withState)).toEqual(['in_progress', 'in_progress', 'in_progress', 'in_progress']);
    expect(['BATCH_STATE_SUCCEEDED', 'BATCH_STATE_FAILED', 'BATCH_STATE_CANCELLED', 'BATCH_STATE_EXPIRED'].map(withState)).toEqual(['completed', 'failed', 'cancelled', 'expired']);
  });

  it('puts only the documented batch name form into a URL unescaped', () => {
    expect(geminiBatchPaths.batch('batches/abc_1-2')).toBe('/v1beta/batches/abc_1-2');
    expect(geminiBatchPaths.cancel('batches/../../models/x')).toBe('/v1beta/batches/..%2F..%2Fmodels%2Fx:cancel');
  });
});
