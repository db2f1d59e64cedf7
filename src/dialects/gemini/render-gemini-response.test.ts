import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GatewayError, type CanonicalResponse } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';
import { renderGeminiError } from './render-gemini-error.js';
import { renderGeminiResponse } from './render-gemini-response.js';

function fixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../../wire/gemini/__fixtures__/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;
}

/** The recorded body without what a gateway does not reproduce (service tier, modality details, finishMessage). */
function comparable(recorded: Record<string, unknown>, context: RenderContext): Record<string, unknown> {
  const candidates = (recorded.candidates as Array<Record<string, unknown>>).map(({ finishMessage: _m, ...candidate }) => candidate);
  const { promptTokensDetails: _p, serviceTier: _s, ...usageMetadata } = recorded.usageMetadata as Record<string, unknown>;
  return { ...recorded, candidates, usageMetadata, modelVersion: context.model, responseId: context.requestId };
}

const context: RenderContext = { requestId: 'req-1', model: 'gemini-2.5-flash', created: 1_700_000_000, includeUsage: false };

describe('renderGeminiResponse', () => {
  it('renders a text response in the recorded shape, counting thoughts in the total', () => {
    const response: CanonicalResponse = {
      content: [{ type: 'text', text: '2 + 2 = **4**' }],
      finishReason: { unified: 'stop', raw: 'STOP' },
      usage: { inputTokens: 10, outputTokens: 8, reasoningTokens: 23 },
      warnings: [],
    };
    expect(renderGeminiResponse(response, context)).toEqual(comparable(fixture('gemini-generate.json'), context));
  });

  it('renders parallel function calls with args objects, ids and the thought signature', () => {
    const recorded = fixture('gemini-function-call.json');
    const signature = 'CpEDARFNMg9f55m3HJzuM30qcMb2V9Vc';
    const response: CanonicalResponse = {
      content: [
        {
          type: 'tool-call',
          callId: 'call_0',
          name: 'weather',
          arguments: '{"latitude":"52.5200","longitude":"13.4050"}',
          providerMetadata: { gemini: { thoughtSignature: signature } },
        },
        { type: 'tool-call', callId: 'call_1', name: 'best_language_to_learn', arguments: '' },
      ],
      finishReason: { unified: 'tool-calls' },
      usage: { inputTokens: 143, outputTokens: 44, reasoningTokens: 109 },
      warnings: [],
    };
    const expected = comparable(recorded, context);
    const [candidate] = expected.candidates as Array<{ content: { parts: Array<Record<string, unknown>> } }>;
    candidate?.content.parts.forEach((part, i) => {
      (part.functionCall as Record<string, unknown>).id = `call_${i}`;
      if (part.thoughtSignature !== undefined) part.thoughtSignature = signature;
    });
    expect(renderGeminiResponse(response, context)).toEqual(expected);
  });

  it('renders thoughts, cached tokens and maps finish reasons (raw Gemini values win)', () => {
    const response: CanonicalResponse = {
      content: [
        { type: 'reasoning', text: 'hmm', providerMetadata: { gemini: { thoughtSignature: 's' } } },
        { type: 'reasoning', text: '', redactedData: 'anthropic-only' },
        { type: 'text', text: 'hi' },
      ],
      finishReason: { unified: 'length' },
      usage: { inputTokens: 5, cacheReadTokens: 3, outputTokens: 2 },
      warnings: [],
    };
    expect(renderGeminiResponse(response, context)).toMatchObject({
      candidates: [
        { content: { parts: [{ text: 'hmm', thought: true, thoughtSignature: 's' }, { text: 'hi' }] }, finishReason: 'MAX_TOKENS' },
      ],
      usageMetadata: { promptTokenCount: 8, candidatesTokenCount: 2, totalTokenCount: 10, cachedContentTokenCount: 3 },
    });
    const finishOf = (finishReason: CanonicalResponse['finishReason']): unknown =>
      renderGeminiResponse({ content: [], finishReason, usage: {}, warnings: [] }, context).candidates?.[0]?.finishReason;
    expect(finishOf({ unified: 'content-filter' })).toBe('SAFETY');
    expect(finishOf({ unified: 'content-filter', raw: 'RECITATION' })).toBe('RECITATION');
    expect(finishOf({ unified: 'error' })).toBe('OTHER');
    expect(finishOf({ unified: 'other', raw: 'end_turn' })).toBe('OTHER');
  });
});

describe('renderGeminiError', () => {
  it('renders {error:{code,message,status}} with the gRPC status name and retry-after', () => {
    expect(renderGeminiError(new GatewayError('rate_limited', 'slow down', { retryAfterMs: 48_100 }))).toEqual({
      status: 429,
      body: { error: { code: 429, message: 'slow down', status: 'RESOURCE_EXHAUSTED' } },
      headers: { 'retry-after': '49' },
    });
    expect(renderGeminiError(new GatewayError('invalid_request', 'contents: required')).body).toEqual({
      error: { code: 400, message: 'contents: required', status: 'INVALID_ARGUMENT' },
    });
  });
});
