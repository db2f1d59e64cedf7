import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ProviderSettings, Target } from '../../core/index.js';
import { decodeOpenAIBatchFile, openAIBatchStatus, readOpenAIBatch } from './openai-batch.js';

const fixture = (name: string): string => readFileSync(new URL(`../../wire/openai-batch/__fixtures__/${name}`, import.meta.url), 'utf8');
const target: Target = { provider: { id: 'oai', type: 'openai', baseUrl: 'https://api.openai.com/v1', headers: {}, options: {} } as ProviderSettings, model: 'gpt-3.5-turbo' };

describe('OpenAI batch files', () => {
  it('reads the documented output file: each custom_id with its chat completion and usage', () => {
    const results = decodeOpenAIBatchFile(fixture('openai-batch-output.jsonl'), target);
    expect(results.map((r) => r.customId)).toEqual(['request-2', 'request-1']);
    expect(results[1]).toMatchObject({ ok: true, kind: 'chat', usage: { inputTokens: 20, outputTokens: 9 }, response: { content: [{ type: 'text', text: 'Hello! How can I assist you today?' }] } });
  });

  it('reads the error file: a 400 becomes the normalised error, an expired line is left to the job', () => {
    const results = decodeOpenAIBatchFile(fixture('openai-batch-errors.jsonl'), target);
    expect(results).toHaveLength(1);
    expect(results[0]).toMatchObject({ customId: 'request-3', ok: false, error: { code: 'upstream_bad_request', status: 400 } });
    expect(results[0]?.ok === false && results[0].error.message).toContain("did not expect 'assistant' here");
  });

  it('maps batch statuses: only completed, failed, cancelled and expired are final', () => {
    const batch = (status: string, extra: object = {}) => readOpenAIBatch({ id: 'batch_1', object: 'batch', status, ...extra }, 'oai');
    expect(['validating', 'in_progress', 'finalizing', 'cancelling'].map((s) => openAIBatchStatus(batch(s)).state)).toEqual(['in_progress', 'in_progress', 'in_progress', 'in_progress']);
    expect(['completed', 'cancelled', 'expired'].map((s) => openAIBatchStatus(batch(s)).state)).toEqual(['completed', 'cancelled', 'expired']);
    const failed = openAIBatchStatus(batch('failed', { errors: { object: 'list', data: [{ code: 'invalid_json_line', message: 'This line is not parseable as valid JSON.', param: null, line: 3 }] } }));
    expect(failed).toEqual({ state: 'failed', message: 'line 3: This line is not parseable as valid JSON.' });
  });
});
