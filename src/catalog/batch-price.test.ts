import { describe, expect, it } from 'vitest';
import { batchPriceFactor, costOfUsage, lookupModel } from './index.js';

describe('batch price factor', () => {
  it('is half the live price on OpenAI Batch, Anthropic Message Batches and Gemini batch mode', () => {
    expect([batchPriceFactor('openai'), batchPriceFactor('anthropic'), batchPriceFactor('gemini')]).toEqual([0.5, 0.5, 0.5]);
  });

  it('is undefined for provider types without a batch API', () => {
    expect([batchPriceFactor('deepseek'), batchPriceFactor('openai-compatible'), batchPriceFactor('simulated')]).toEqual([undefined, undefined, undefined]);
  });

  it('prices a delegated response at half its live cost', () => {
    const price = lookupModel('openai-chat', 'gpt-4o-mini')?.price ?? { input: 0, output: 0 };
    const live = costOfUsage({ inputTokens: 1_000_000, outputTokens: 1_000_000 }, price) ?? 0;
    expect(live * (batchPriceFactor('openai') ?? 1)).toBeCloseTo(0.375, 10);
  });
});
