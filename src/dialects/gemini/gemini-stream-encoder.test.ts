import { GoogleGenAI, type GenerateContentResponse } from '@google/genai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { GatewayError, type StreamEvent } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';
import { GeminiStreamEncoder } from './gemini-stream-encoder.js';

const context: RenderContext = { requestId: 'req-1', model: 'gemini-2.5-flash', created: 1_700_000_000, includeUsage: false };

function encodeAll(events: StreamEvent[]): string {
  const encoder = new GeminiStreamEncoder(context);
  return events.map((event) => encoder.encode(event)).join('') + encoder.end();
}

function payloads(sse: string): unknown[] {
  return sse
    .split('\r\n\r\n')
    .filter((frame) => frame !== '')
    .map((frame) => JSON.parse(frame.replace(/^data: /, '')) as unknown);
}

/** Feeds SSE text to the official js-genai client through a stubbed fetch (no network). */
async function streamThroughSdk(sse: string): Promise<GenerateContentResponse[]> {
  vi.stubGlobal('fetch', async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } }));
  const client = new GoogleGenAI({ apiKey: 'test-key' });
  const chunks: GenerateContentResponse[] = [];
  for await (const chunk of await client.models.generateContentStream({ model: 'gemini-2.5-flash', contents: 'hi' })) {
    chunks.push(chunk);
  }
  return chunks;
}

afterEach(() => {
  vi.unstubAllGlobals();
});

const textEvents: StreamEvent[] = [
  { type: 'response-start' },
  { type: 'text-start', blockId: 't' },
  { type: 'text-delta', blockId: 't', text: 'Hello' },
  { type: 'text-delta', blockId: 't', text: ' world' },
  { type: 'text-end', blockId: 't' },
  { type: 'usage', usage: { inputTokens: 13, outputTokens: 71, reasoningTokens: 137 } },
  { type: 'finish', reason: { unified: 'stop' } },
];

const parallelToolEvents: StreamEvent[] = [
  { type: 'response-start' },
  { type: 'tool-input-start', blockId: 'a', toolIndex: 0, callId: 'call_a', name: 'weather', providerMetadata: { gemini: { thoughtSignature: 'sig' } } },
  { type: 'tool-input-delta', blockId: 'a', argumentsDelta: '{"city":' },
  { type: 'tool-input-start', blockId: 'b', toolIndex: 1, callId: 'call_b', name: 'best_language_to_learn' },
  { type: 'tool-input-delta', blockId: 'a', argumentsDelta: '"Berlin"}' },
  { type: 'tool-input-end', blockId: 'a' },
  { type: 'finish', reason: { unified: 'tool-calls' } },
  { type: 'usage', usage: { inputTokens: 103, outputTokens: 30 } },
];

describe('GeminiStreamEncoder', () => {
  it('emits one CRLF-framed event per text delta and a final event with finishReason and usage', () => {
    const sse = encodeAll(textEvents);
    expect(sse.endsWith('\r\n\r\n')).toBe(true);
    expect(payloads(sse)).toEqual([
      { candidates: [{ content: { parts: [{ text: 'Hello' }], role: 'model' }, index: 0 }], modelVersion: 'gemini-2.5-flash', responseId: 'req-1' },
      { candidates: [{ content: { parts: [{ text: ' world' }], role: 'model' }, index: 0 }], modelVersion: 'gemini-2.5-flash', responseId: 'req-1' },
      {
        candidates: [{ content: { parts: [{ text: '' }], role: 'model' }, index: 0, finishReason: 'STOP' }],
        modelVersion: 'gemini-2.5-flash',
        responseId: 'req-1',
        usageMetadata: { promptTokenCount: 13, candidatesTokenCount: 71, totalTokenCount: 221, thoughtsTokenCount: 137 },
      },
    ]);
  });

  it('is read by the official js-genai client as the same text', async () => {
    const chunks = await streamThroughSdk(encodeAll(textEvents));
    expect(chunks.map((chunk) => chunk.text ?? '').join('')).toBe('Hello world');
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(chunks.at(-1)?.usageMetadata?.totalTokenCount).toBe(221);
  });

  it('emits each function call whole when its arguments end; an unfinished call is flushed at finish', async () => {
    const sse = encodeAll(parallelToolEvents);
    const chunks = await streamThroughSdk(sse);
    expect(chunks.flatMap((chunk) => chunk.functionCalls ?? [])).toEqual([
      { name: 'weather', args: { city: 'Berlin' }, id: 'call_a' },
      { name: 'best_language_to_learn', args: {}, id: 'call_b' },
    ]);
    expect(chunks[0]?.candidates?.[0]?.content?.parts?.[0]?.thoughtSignature).toBe('sig');
    expect(chunks.at(-1)?.candidates?.[0]?.finishReason).toBe('STOP');
    expect(chunks.at(-1)?.usageMetadata).toEqual({ promptTokenCount: 103, candidatesTokenCount: 30, totalTokenCount: 133 });
  });

  it('streams thoughts with their signature on the first thought part', () => {
    const sse = encodeAll([
      { type: 'reasoning-start', blockId: 'r', providerMetadata: { gemini: { thoughtSignature: 's' } } },
      { type: 'reasoning-delta', blockId: 'r', text: 'a' },
      { type: 'reasoning-delta', blockId: 'r', text: 'b' },
      { type: 'reasoning-end', blockId: 'r' },
      { type: 'finish', reason: { unified: 'length' } },
    ]);
    const parts = payloads(sse).map((payload) => (payload as { candidates: Array<{ content: { parts: unknown[] } }> }).candidates[0]?.content.parts[0]);
    expect(parts).toEqual([{ text: 'a', thought: true, thoughtSignature: 's' }, { text: 'b', thought: true }, { text: '' }]);
  });

  it('ends a failed stream with an error chunk the SDK throws on, and nothing after it', async () => {
    const encoder = new GeminiStreamEncoder(context);
    let sse = encoder.encode({ type: 'text-delta', blockId: 't', text: 'partial' });
    sse += encoder.encode({ type: 'error', error: new GatewayError('upstream_overloaded', 'Overloaded') });
    expect(encoder.encode({ type: 'finish', reason: { unified: 'stop' } })).toBe('');
    expect(encoder.end()).toBe('');
    expect(payloads(sse).at(-1)).toEqual({ error: { code: 503, message: 'Overloaded', status: 'UNAVAILABLE' } });
    await expect(streamThroughSdk(sse)).rejects.toThrow(/UNAVAILABLE/);
  });
});
