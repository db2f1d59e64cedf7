import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Target } from '../../core/index.js';
import { geminiAdapter } from './gemini-adapter.js';

const target: Target = {
  provider: { id: 'gem', type: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', headers: {}, options: {} },
  model: 'gemini-2.5-flash',
};

function fixture(name: string): unknown {
  return JSON.parse(readFileSync(new URL(`../../wire/gemini/__fixtures__/${name}`, import.meta.url), 'utf8'));
}

describe('gemini fromUpstream', () => {
  it('reads a text answer with disjoint usage buckets (10 input / 8 output / 23 reasoning)', () => {
    const response = geminiAdapter.fromUpstream(fixture('gemini-generate.json'), target);
    expect(response).toMatchObject({
      id: 'Cr-FaqLbNpfYkdUP-bmpoAw',
      model: 'gemini-2.5-flash',
      content: [{ type: 'text', text: '2 + 2 = **4**' }],
      finishReason: { unified: 'stop', raw: 'STOP' },
      warnings: [],
    });
    expect(response.usage).toMatchObject({ inputTokens: 10, outputTokens: 8, reasoningTokens: 23 });
    expect(response.usage.cacheReadTokens).toBeUndefined();
    expect(response.usage.raw).toMatchObject({ totalTokenCount: 41 });
  });

  it('reads two parallel function calls, the signature only on the first, finishing with tool-calls', () => {
    const response = geminiAdapter.fromUpstream(fixture('gemini-function-call.json'), target);
    expect(response.finishReason).toEqual({ unified: 'tool-calls', raw: 'STOP' });
    expect(response.content).toHaveLength(2);
    const [first, second] = response.content;
    expect(first).toMatchObject({ type: 'tool-call', name: 'weather', arguments: '{"latitude":"52.5200","longitude":"13.4050"}' });
    expect(first?.type === 'tool-call' && first.providerMetadata?.gemini?.thoughtSignature).toMatch(/^CpEDARFNMg9f/);
    expect(second).toEqual({ type: 'tool-call', callId: 'call_S7-FaruuCO2qnsEPoOCUgQg_1', name: 'best_language_to_learn', arguments: '{}' });
    expect(response.usage).toMatchObject({ inputTokens: 143, outputTokens: 44, reasoningTokens: 109 });
  });

  it('reports a blocked prompt as content-filter with empty content', () => {
    const response = geminiAdapter.fromUpstream(
      { promptFeedback: { blockReason: 'PROHIBITED_CONTENT' }, usageMetadata: { promptTokenCount: 7, totalTokenCount: 7 } },
      target,
    );
    expect(response.content).toEqual([]);
    expect(response.finishReason).toEqual({ unified: 'content-filter', raw: 'PROHIBITED_CONTENT' });
    expect(response.usage.inputTokens).toBe(7);
    expect(response.model).toBe('gemini-2.5-flash');
  });

  it.each([
    ['SAFETY', 'content-filter'],
    ['RECITATION', 'content-filter'],
    ['IMAGE_SAFETY', 'content-filter'],
    ['LANGUAGE', 'other'],
    ['OTHER', 'other'],
    ['FINISH_REASON_UNSPECIFIED', 'other'],
  ])('maps finishReason %s to %s', (raw, unified) => {
    const response = geminiAdapter.fromUpstream({ candidates: [{ finishReason: raw }] }, target);
    expect(response.finishReason).toEqual({ unified, raw });
  });

  it.each(['MALFORMED_FUNCTION_CALL', 'UNEXPECTED_TOOL_CALL', 'TOO_MANY_TOOL_CALLS'])('throws a retryable error for %s', (raw) => {
    expect(() => geminiAdapter.fromUpstream({ candidates: [{ finishReason: raw }] }, target)).toThrow(
      expect.objectContaining({ code: 'upstream_malformed_response', retryable: true }),
    );
  });

  it('counts tool-use prompt tokens as input and subtracts cached tokens', () => {
    const response = geminiAdapter.fromUpstream(
      {
        candidates: [{ content: { parts: [{ text: 'x' }] }, finishReason: 'STOP' }],
        usageMetadata: { promptTokenCount: 100, cachedContentTokenCount: 60, toolUsePromptTokenCount: 5, candidatesTokenCount: 3 },
      },
      target,
    );
    expect(response.usage).toMatchObject({ inputTokens: 45, cacheReadTokens: 60, outputTokens: 3 });
    expect(response.usage.reasoningTokens).toBeUndefined();
  });
});
