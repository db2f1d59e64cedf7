import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { collectStream } from '../../core/index.js';
import type { GatewayError, StreamEvent, Target } from '../../core/index.js';
import type { SseEvent } from '../provider-adapter.js';
import { geminiAdapter } from './gemini-adapter.js';

const target: Target = {
  provider: { id: 'gem', type: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', headers: {}, options: {} },
  model: 'gemini-2.5-flash',
};

function fixture(name: string): string {
  return readFileSync(new URL(`../../wire/gemini/__fixtures__/${name}`, import.meta.url), 'utf8');
}

function sseEvents(text: string): SseEvent[] {
  const events: SseEvent[] = [];
  const parser = createParser({ onEvent: (event) => events.push({ event: event.event, data: event.data, id: event.id }) });
  parser.feed(text);
  return events;
}

function decode(events: SseEvent[]): StreamEvent[] {
  const decoder = geminiAdapter.createStreamDecoder(target);
  return [...events.flatMap((event) => decoder.push(event)), ...decoder.end()];
}

function decodePayloads(payloads: unknown[]): StreamEvent[] {
  return decode(payloads.map((payload) => ({ data: JSON.stringify(payload) })));
}

function errorOf(events: StreamEvent[]): GatewayError | undefined {
  const last = events[events.length - 1];
  return last?.type === 'error' ? last.error : undefined;
}

describe('gemini stream decoder', () => {
  it('decodes the CRLF-framed text stream into one text block, last usage snapshot and stop', async () => {
    const events = decode(sseEvents(fixture('gemini-stream.sse')));
    expect(events[0]).toEqual({ type: 'response-start', id: 'Bb-Fapr3DvG_nsEPhfTU6Ag', model: 'gemini-2.5-flash' });
    expect(events.filter((e) => e.type === 'text-start')).toHaveLength(1);
    expect(events.filter((e) => e.type === 'usage')).toHaveLength(1);
    expect(events.slice(-2).map((e) => e.type)).toEqual(['usage', 'finish']);

    const response = await collectStream(events);
    expect(response.content).toEqual([
      {
        type: 'text',
        text:
          "Let's think step-by-step:\n\n1.  You have the number 2.\n2.  You are adding another 2 to it.\n3.  If you count " +
          'two items, and then count two more items, you will have a total of four items.\n\nSo, 2 + 2 = 4.',
      },
    ]);
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'STOP' });
    expect(response.usage).toMatchObject({ inputTokens: 13, outputTokens: 71, reasoningTokens: 137 });
    expect(response.usage.cacheReadTokens).toBeUndefined();
  });

  it('decodes a whole function call into start, one arguments delta and end, finishing with tool-calls', async () => {
    const events = decode(sseEvents(fixture('gemini-function-call-stream.sse')));
    const toolEvents = events.filter((e) => e.type.startsWith('tool-input'));
    expect(toolEvents.map((e) => e.type)).toEqual(['tool-input-start', 'tool-input-delta', 'tool-input-end']);

    const response = await collectStream(events);
    expect(response.finishReason).toEqual({ unified: 'tool-calls', raw: 'STOP' });
    const [call] = response.content;
    expect(call).toMatchObject({
      type: 'tool-call',
      callId: 'call_U7-Fao_EK_-VvdIP1-aJ8Qo_0',
      name: 'weather',
      arguments: '{"latitude":"52.5200","longitude":"13.4050"}',
    });
    expect(call?.type === 'tool-call' && call.providerMetadata?.gemini?.thoughtSignature).toMatch(/^CiQBEU0y/);
    expect(response.usage).toMatchObject({ inputTokens: 103, outputTokens: 30, reasoningTokens: 43 });
  });

  it('mints the same tool-call ids for a payload streamed and returned whole', async () => {
    const body: unknown = JSON.parse(fixture('gemini-function-call.json'));
    const streamed = await collectStream(decodePayloads([body]));
    const whole = geminiAdapter.fromUpstream(body, target);
    const ids = (content: typeof whole.content) => content.flatMap((p) => (p.type === 'tool-call' ? [p.callId] : []));
    expect(ids(streamed.content)).toEqual(ids(whole.content));
    expect(ids(whole.content)).toEqual(['call_S7-FaruuCO2qnsEPoOCUgQg_0', 'call_S7-FaruuCO2qnsEPoOCUgQg_1']);
  });

  it('mints deterministic ids from name and arguments when the response has no id, and keeps a Gemini-given id', async () => {
    const payload = {
      candidates: [
        {
          content: { role: 'model', parts: [{ functionCall: { name: 'a', args: { x: 1 } } }, { functionCall: { id: 'fc-9', name: 'b', args: {} } }] },
          finishReason: 'STOP',
        },
      ],
    };
    const first = await collectStream(decodePayloads([payload]));
    const second = await collectStream(decodePayloads([payload]));
    expect(first.content).toEqual(second.content);
    expect(first.content[0]).toMatchObject({ callId: expect.stringMatching(/^call_[0-9a-z]+_0$/) });
    expect(first.content[1]).toMatchObject({ callId: 'fc-9', providerMetadata: { gemini: { id: 'fc-9' } } });
  });

  it('turns thought parts into a reasoning block carrying the Gemini signature, and skips empty text parts', async () => {
    const events = decodePayloads([
      { responseId: 'r1', candidates: [{ content: { role: 'model', parts: [{ text: 'Pondering', thought: true }] } }] },
      { responseId: 'r1', candidates: [{ content: { role: 'model', parts: [{ text: ' more', thought: true, thoughtSignature: 'sig-1' }] } }] },
      { responseId: 'r1', candidates: [{ content: { role: 'model', parts: [{ text: 'Answer' }, { text: '' }] }, finishReason: 'STOP' }] },
    ]);
    expect(events.filter((e) => e.type === 'text-delta')).toHaveLength(1);
    const response = await collectStream(events);
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'Pondering more', signature: 'sig-1', providerMetadata: { gemini: {} } },
      { type: 'text', text: 'Answer' },
    ]);
  });

  it('keeps the last usage snapshot instead of summing', async () => {
    const usage = (candidates: number) => ({ promptTokenCount: 20, cachedContentTokenCount: 5, candidatesTokenCount: candidates });
    const response = await collectStream(
      decodePayloads([
        { candidates: [{ content: { parts: [{ text: 'a' }] } }], usageMetadata: usage(1) },
        { candidates: [{ content: { parts: [{ text: 'b' }] }, finishReason: 'MAX_TOKENS' }], usageMetadata: usage(2) },
      ]),
    );
    expect(response.usage).toMatchObject({ inputTokens: 15, cacheReadTokens: 5, outputTokens: 2 });
    expect(response.finishReason).toEqual({ unified: 'length', raw: 'MAX_TOKENS' });
  });

  it('reports a stream that closed without a finishReason as a malformed response', () => {
    const lines = fixture('gemini-stream.sse').split('\r\n\r\n');
    const events = decode(sseEvents(`${lines[0] ?? ''}\r\n\r\n`));
    expect(events.some((e) => e.type === 'finish')).toBe(false);
    expect(errorOf(events)).toMatchObject({ code: 'upstream_malformed_response', retryable: true });
  });

  it('reports MALFORMED_FUNCTION_CALL as a retryable error event, not a stop', () => {
    const events = decodePayloads([
      { candidates: [{ finishReason: 'MALFORMED_FUNCTION_CALL', finishMessage: 'Malformed function call: foo(' }] },
    ]);
    expect(events.some((e) => e.type === 'finish')).toBe(false);
    expect(errorOf(events)).toMatchObject({ code: 'upstream_malformed_response', retryable: true });
  });

  it('maps an in-band error payload like an HTTP error and ignores anything after it', () => {
    const decoder = geminiAdapter.createStreamDecoder(target);
    const first = decoder.push({ data: JSON.stringify({ candidates: [{ content: { parts: [{ text: 'hi' }] } }] }) });
    const error = decoder.push({ data: '{"error":{"code":503,"message":"The model is overloaded.","status":"UNAVAILABLE"}}' });
    expect(first[0]?.type).toBe('response-start');
    expect(errorOf(error)).toMatchObject({ code: 'upstream_overloaded', retryable: true, provider: 'gem' });
    expect(decoder.end()).toEqual([]);
  });

  it('reports invalid JSON and schema violations with the offending field path', () => {
    expect(errorOf(decode([{ data: '{"candidates": [' }]))?.code).toBe('upstream_malformed_response');
    const bad = errorOf(decodePayloads([{ candidates: [{ content: { parts: [{ functionCall: { args: {} } }] } }] }]));
    expect(bad?.message).toContain('candidates[0].content.parts[0].functionCall.name');
  });

  it('warns once about response parts it cannot represent', async () => {
    const part = { executableCode: { language: 'PYTHON', code: 'print(1)' } };
    const response = await collectStream(
      decodePayloads([{ candidates: [{ content: { parts: [part, part, { text: 'ok' }] }, finishReason: 'STOP' }] }]),
    );
    expect(response.warnings).toEqual([expect.objectContaining({ code: 'response_part_dropped' })]);
    expect(response.content).toEqual([{ type: 'text', text: 'ok' }]);
  });
});
