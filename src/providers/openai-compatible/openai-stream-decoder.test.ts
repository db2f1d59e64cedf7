import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import type { StreamEvent } from '../../core/index.js';
import { GatewayError, collectStream } from '../../core/index.js';
import type { SseEvent } from '../provider-adapter.js';
import { OpenAIStreamDecoder } from './openai-stream-decoder.js';

function fixture(name: string): string {
  return readFileSync(new URL(`../../wire/openai-chat/__fixtures__/${name}`, import.meta.url), 'utf8');
}

/** Feeds SSE text through eventsource-parser into a fresh decoder, then closes it like the engine does. */
function decodeSse(text: string, providerId = 'test'): StreamEvent[] {
  const decoder = new OpenAIStreamDecoder(providerId);
  const events: StreamEvent[] = [];
  const parser = createParser({ onEvent: (event) => events.push(...decoder.push(event)) });
  parser.feed(text);
  events.push(...decoder.end());
  return events;
}

function decodeEvents(input: Array<SseEvent | Record<string, unknown>>): StreamEvent[] {
  const decoder = new OpenAIStreamDecoder('test');
  const events: StreamEvent[] = [];
  for (const item of input) {
    const event = typeof item.data === 'string' ? (item as SseEvent) : { data: JSON.stringify(item) };
    events.push(...decoder.push(event));
  }
  events.push(...decoder.end());
  return events;
}

describe('OpenAI-family stream decoder on recorded streams', () => {
  it('folds the OpenAI text stream, taking usage from the choices-less chunk that follows finish', async () => {
    const events = decodeSse(fixture('openai-chat-stream.sse'));
    const response = await collectStream(events);
    expect(response.id).toBe('chatcmpl-Cw7WStFqBjUmKH9vLD97AiG6Wdduh');
    expect(response.model).toBe('gpt-4.1-nano-2025-04-14');
    expect(response.content).toEqual([{ type: 'text', text: '1, 2, 3' }]);
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'stop' });
    expect(response.usage).toMatchObject({ inputTokens: 14, cacheReadTokens: 0, outputTokens: 7, reasoningTokens: 0 });
    expect(events.at(-1)?.type).toBe('finish');
    expect(events.map((e) => e.type).indexOf('usage')).toBeLessThan(events.length - 1);
  });

  it('keeps two parallel OpenAI tool calls apart by index with exact ids, names and arguments', async () => {
    const events = decodeSse(fixture('openai-tool-call-stream.sse'));
    const response = await collectStream(events);
    expect(response.content).toEqual([
      {
        type: 'tool-call',
        callId: 'call_JMW1whyEaYG438VE1OIflxA2',
        name: 'GetWeatherArgs',
        arguments: '{"city": "Edinburgh", "country": "GB", "units": "c"}',
      },
      {
        type: 'tool-call',
        callId: 'call_DNYTawLBoN8fj3KN6qU9N1Ou',
        name: 'get_stock_price',
        arguments: '{"ticker": "AAPL", "exchange": "NASDAQ"}',
      },
    ]);
    expect(response.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_calls' });
    expect(response.usage).toMatchObject({ inputTokens: 149, outputTokens: 60, reasoningTokens: 0 });
    expect(response.usage.cacheReadTokens).toBeUndefined();
    const starts = events.filter((e) => e.type === 'tool-input-start');
    expect(starts.map((e) => (e.type === 'tool-input-start' ? e.toolIndex : -1))).toEqual([0, 1]);
    expect(events.filter((e) => e.type === 'tool-input-end')).toHaveLength(2);
  });

  it('reads DeepSeek usage from the finish chunk', async () => {
    const response = await collectStream(decodeSse(fixture('deepseek-stream.sse')));
    expect(response.content).toEqual([{ type: 'text', text: '1, 2, 3.' }]);
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'stop' });
    expect(response.usage).toMatchObject({ inputTokens: 11, cacheReadTokens: 0, outputTokens: 8 });
  });

  it('assembles a DeepSeek tool call streamed in many fragments', async () => {
    const response = await collectStream(decodeSse(fixture('deepseek-tool-call-stream.sse')));
    expect(response.content).toEqual([
      {
        type: 'tool-call',
        callId: 'call_00_MRi7F2sfOet5LgvlZL3W5236',
        name: 'weather',
        arguments: '{"latitude": "52.5200", "longitude": "13.4050"}',
      },
    ]);
    expect(response.finishReason.unified).toBe('tool-calls');
    expect(response.usage).toMatchObject({ inputTokens: 348, cacheReadTokens: 0, outputTokens: 65 });
  });

  it('ignores Mistral padding and takes text and finish from the same chunk', async () => {
    const response = await collectStream(decodeSse(fixture('mistral-stream.sse')));
    expect(response.content).toEqual([{ type: 'text', text: '1, 2, 3' }]);
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'stop' });
    expect(response.usage).toMatchObject({ inputTokens: 22, cacheReadTokens: 0, outputTokens: 8 });
  });

  it('decodes a Mistral whole tool call with finish in one chunk and splits cached input out', async () => {
    const response = await collectStream(decodeSse(fixture('mistral-tool-call-stream.sse')));
    expect(response.content).toEqual([
      { type: 'tool-call', callId: 'g6fVbXS8K', name: 'weather', arguments: '{"latitude": "52.5200", "longitude": "13.4050"}' },
    ]);
    expect(response.finishReason.unified).toBe('tool-calls');
    expect(response.usage).toMatchObject({ inputTokens: 31, cacheReadTokens: 128, outputTokens: 28 });
  });

  it('never lets Qwen\'s repeated empty ids overwrite the call id or start a new call', async () => {
    const events = decodeSse(fixture('qwen-tool-call-stream.sse'));
    const response = await collectStream(events);
    expect(response.content).toEqual([
      { type: 'tool-call', callId: 'call_eee11723464a4b9eb8cee71d', name: 'weather', arguments: '{"location": "San Francisco"}' },
    ]);
    expect(events.filter((e) => e.type === 'tool-input-start')).toHaveLength(1);
    expect(response.usage).toMatchObject({ inputTokens: 295, cacheReadTokens: 0, outputTokens: 22 });
  });

  it('reads Groq usage and a whole tool call in one chunk', async () => {
    const response = await collectStream(decodeSse(fixture('groq-tool-call-stream.sse')));
    expect(response.content).toEqual([{ type: 'tool-call', callId: 'tk85n1k4m', name: 'weather', arguments: '{}' }]);
    expect(response.usage).toMatchObject({ inputTokens: 210, outputTokens: 15 });
    expect(response.usage.cacheReadTokens).toBeUndefined();
    expect(response.usage.reasoningTokens).toBeUndefined();
  });
});

describe('OpenAI-family stream decoder edge cases', () => {
  it('reports a stream cut before finish as an error, never as success', async () => {
    const text = fixture('openai-chat-stream.sse');
    const truncated = text.slice(0, text.indexOf('"finish_reason":"stop"'));
    const events = decodeSse(truncated.slice(0, truncated.lastIndexOf('\n\n') + 2));
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    await expect(collectStream(events)).rejects.toMatchObject({
      code: 'upstream_malformed_response',
      message: expect.stringContaining('stream ended before finish'),
    });
  });

  it('reports [DONE] without a finish reason as an error', () => {
    const events = decodeEvents([{ id: 'x', choices: [{ index: 0, delta: { content: 'hi' } }] }, { data: '[DONE]' }]);
    expect(events.at(-1)).toMatchObject({ type: 'error', error: { code: 'upstream_malformed_response' } });
  });

  it('flushes the held finish on end() when [DONE] never came', () => {
    const events = decodeEvents([{ id: 'x', choices: [{ index: 0, delta: { content: 'hi' }, finish_reason: 'length' }] }]);
    expect(events.at(-1)).toEqual({ type: 'finish', reason: { unified: 'length', raw: 'length' } });
  });

  it('turns reasoning_content deltas into a reasoning block closed before the text', async () => {
    const events = decodeEvents([
      { id: 'r', model: 'deepseek-reasoner', choices: [{ index: 0, delta: { role: 'assistant', reasoning_content: 'Think' } }] },
      { id: 'r', choices: [{ index: 0, delta: { reasoning_content: 'ing.' } }] },
      { id: 'r', choices: [{ index: 0, delta: { content: 'Answer' }, finish_reason: 'stop' }] },
      {
        id: 'r',
        choices: [],
        usage: { prompt_tokens: 10, completion_tokens: 30, completion_tokens_details: { reasoning_tokens: 20 }, prompt_cache_hit_tokens: 4 },
      },
      { data: '[DONE]' },
    ]);
    expect(events.map((e) => e.type)).toEqual([
      'response-start',
      'reasoning-start',
      'reasoning-delta',
      'reasoning-delta',
      'reasoning-end',
      'text-start',
      'text-delta',
      'text-end',
      'usage',
      'finish',
    ]);
    const response = await collectStream(events);
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'Thinking.' },
      { type: 'text', text: 'Answer' },
    ]);
    expect(response.usage).toMatchObject({ inputTokens: 6, cacheReadTokens: 4, outputTokens: 10, reasoningTokens: 20 });
  });

  it('treats whole tool calls without index as successive calls', async () => {
    const call = (id: string, name: string) => ({ id, type: 'function', function: { name, arguments: '{}' } });
    const response = await collectStream(
      decodeEvents([
        { id: 'm', choices: [{ index: 0, delta: { tool_calls: [call('aaaaaaaa1', 'one'), call('bbbbbbbb2', 'two')] }, finish_reason: 'tool_calls' }] },
        { data: '[DONE]' },
      ]),
    );
    expect(response.content.map((part) => (part.type === 'tool-call' ? part.callId : ''))).toEqual(['aaaaaaaa1', 'bbbbbbbb2']);
  });

  it('maps a data: {"error": …} chunk to an in-band GatewayError', () => {
    const events = decodeEvents([
      { id: 'x', choices: [{ index: 0, delta: { content: 'partial' } }] },
      { error: { message: 'The server had an error while processing your request.', type: 'server_error' } },
      { id: 'x', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
    ]);
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type !== 'error') return;
    expect(last.error).toBeInstanceOf(GatewayError);
    expect(last.error.code).toBe('upstream_server_error');
    expect(last.error.retryable).toBe(true);
  });

  it('maps an SSE event named error, keeping rate limits retryable with their hint', () => {
    const events = decodeEvents([
      { event: 'error', data: '{"error":{"message":"Rate limit reached. Please try again in 1.5s.","type":"requests"}}' },
    ]);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'upstream_rate_limited', retryAfterMs: 1500 } });
  });

  it('reports a chunk that is not JSON as a malformed response', () => {
    const events = decodeEvents([{ data: '{"id":' }]);
    expect(events).toMatchObject([{ type: 'error', error: { code: 'upstream_malformed_response' } }]);
  });

  it('marks a streamed refusal as content-filter and keeps its text', async () => {
    const response = await collectStream(
      decodeEvents([
        { id: 'x', choices: [{ index: 0, delta: { role: 'assistant', content: null, refusal: "I can't help" } }] },
        { id: 'x', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] },
        { data: '[DONE]' },
      ]),
    );
    expect(response.content).toEqual([{ type: 'text', text: "I can't help" }]);
    expect(response.finishReason).toEqual({ unified: 'content-filter', raw: 'stop' });
  });

  it('says plain text deltas only append text from the first chunk until the finish', () => {
    const decoder = new OpenAIStreamDecoder('test');
    const text = { data: '{"id":"x","choices":[{"index":0,"delta":{"content":"a"},"finish_reason":null}]}' };
    expect(decoder.plainTextOnlyAppends).toBe(false);
    decoder.push(text);
    expect(decoder.plainTextOnlyAppends).toBe(true);
    decoder.push({ data: '{"id":"x","choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}' });
    expect(decoder.plainTextOnlyAppends).toBe(false);
    const failed = new OpenAIStreamDecoder('test');
    failed.push(text);
    failed.push({ data: 'not json' });
    expect(failed.plainTextOnlyAppends).toBe(false);
  });
});
