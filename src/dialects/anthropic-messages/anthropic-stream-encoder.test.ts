import Anthropic from '@anthropic-ai/sdk';
import { describe, expect, it } from 'vitest';
import { GatewayError, type StreamEvent } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';
import { AnthropicStreamEncoder } from './anthropic-stream-encoder.js';

const context: RenderContext = { requestId: 'req-1', model: 'smart', created: 1_700_000_000, includeUsage: false };

function encodeAll(events: StreamEvent[]): string {
  const encoder = new AnthropicStreamEncoder(context);
  return events.map((event) => encoder.encode(event)).join('') + encoder.end();
}

function parseFrames(text: string): Array<{ event: string; data: Record<string, unknown> }> {
  return text
    .split('\n\n')
    .filter((frame) => frame !== '')
    .map((frame) => {
      const [eventLine, dataLine] = frame.split('\n');
      return {
        event: (eventLine ?? '').replace(/^event: /, ''),
        data: JSON.parse((dataLine ?? '').replace(/^data: /, '')) as Record<string, unknown>,
      };
    });
}

/** Runs SSE text through the official SDK's streaming helper, exactly as a client of the gateway would. */
async function finalMessageFromSdk(sse: string): Promise<Anthropic.Message> {
  const client = new Anthropic({
    apiKey: 'test-key',
    maxRetries: 0,
    fetch: async () => new Response(sse, { status: 200, headers: { 'content-type': 'text/event-stream' } }),
  });
  return client.messages
    .stream({ model: 'smart', max_tokens: 100, messages: [{ role: 'user', content: 'hi' }] })
    .finalMessage();
}

const textEvents: StreamEvent[] = [
  { type: 'response-start', id: 'up-1', model: 'upstream-model' },
  { type: 'text-start', blockId: 'b0' },
  { type: 'text-delta', blockId: 'b0', text: 'Hello' },
  { type: 'text-delta', blockId: 'b0', text: ' world' },
  { type: 'text-end', blockId: 'b0' },
  { type: 'usage', usage: { inputTokens: 15, cacheReadTokens: 2, outputTokens: 9 } },
  { type: 'finish', reason: { unified: 'stop' } },
];

const parallelToolEvents: StreamEvent[] = [
  { type: 'response-start' },
  { type: 'text-start', blockId: 't' },
  { type: 'text-delta', blockId: 't', text: 'Checking.' },
  { type: 'text-end', blockId: 't' },
  { type: 'tool-input-start', blockId: 'c0', toolIndex: 0, callId: 'call_a', name: 'weather' },
  { type: 'tool-input-delta', blockId: 'c0', argumentsDelta: '{"city":' },
  { type: 'tool-input-delta', blockId: 'c0', argumentsDelta: '"Berlin"}' },
  { type: 'tool-input-end', blockId: 'c0' },
  { type: 'tool-input-start', blockId: 'c1', toolIndex: 1, callId: 'call_b', name: 'best_language_to_learn' },
  { type: 'tool-input-end', blockId: 'c1' },
  { type: 'finish', reason: { unified: 'tool-calls' } },
  { type: 'usage', usage: { inputTokens: 700, outputTokens: 98 } },
];

describe('AnthropicStreamEncoder', () => {
  it('emits the exact named-event sequence for a text stream, ending with message_stop and no [DONE]', () => {
    const sse = encodeAll(textEvents);
    expect(sse).not.toContain('[DONE]');
    const frames = parseFrames(sse);
    expect(frames.every((frame) => frame.event === frame.data.type)).toBe(true);
    expect(frames.map((frame) => frame.data)).toEqual([
      {
        type: 'message_start',
        message: {
          id: 'msg_req-1',
          type: 'message',
          role: 'assistant',
          model: 'smart',
          content: [],
          stop_reason: null,
          stop_sequence: null,
          stop_details: null,
          usage: { input_tokens: 0, cache_creation_input_tokens: 0, cache_read_input_tokens: 0, output_tokens: 0 },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Hello' } },
      { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: ' world' } },
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: 'end_turn', stop_sequence: null, stop_details: null },
        usage: { output_tokens: 9, input_tokens: 15, cache_creation_input_tokens: 0, cache_read_input_tokens: 2 },
      },
      { type: 'message_stop' },
    ]);
  });

  it('produces a stream the official SDK folds into the same text message', async () => {
    const message = await finalMessageFromSdk(encodeAll(textEvents));
    expect(message.content).toEqual([{ type: 'text', text: 'Hello world' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.usage).toMatchObject({ input_tokens: 15, output_tokens: 9, cache_read_input_tokens: 2 });
  });

  it('streams two parallel tool calls with block indexes counting every block; usage after finish still lands', async () => {
    const sse = encodeAll(parallelToolEvents);
    const starts = parseFrames(sse).filter((frame) => frame.event === 'content_block_start');
    expect(starts.map((frame) => frame.data.index)).toEqual([0, 1, 2]);
    const message = await finalMessageFromSdk(sse);
    expect(message.content).toEqual([
      { type: 'text', text: 'Checking.' },
      { type: 'tool_use', id: 'call_a', name: 'weather', input: { city: 'Berlin' } },
      { type: 'tool_use', id: 'call_b', name: 'best_language_to_learn', input: {} },
    ]);
    expect(message.stop_reason).toBe('tool_use');
    expect(message.usage).toMatchObject({ input_tokens: 700, output_tokens: 98 });
  });

  it('streams thinking with its signature and closes a block left open at finish', async () => {
    const sse = encodeAll([
      { type: 'response-start' },
      { type: 'reasoning-start', blockId: 'r' },
      { type: 'reasoning-delta', blockId: 'r', text: 'let me think' },
      { type: 'reasoning-end', blockId: 'r', signature: 'sig-1' },
      { type: 'text-start', blockId: 't' },
      { type: 'text-delta', blockId: 't', text: 'four' },
      { type: 'usage', usage: { outputTokens: 3, reasoningTokens: 4 } },
      { type: 'finish', reason: { unified: 'length' } },
    ]);
    const events = parseFrames(sse).map((frame) => frame.event);
    expect(events.slice(-4)).toEqual(['content_block_delta', 'content_block_stop', 'message_delta', 'message_stop']);
    const message = await finalMessageFromSdk(sse);
    expect(message.content).toEqual([
      { type: 'thinking', thinking: 'let me think', signature: 'sig-1' },
      { type: 'text', text: 'four' },
    ]);
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(7);
  });

  it('ends a failed stream with an error event and no message_stop, so the SDK throws', async () => {
    const encoder = new AnthropicStreamEncoder(context);
    let sse = '';
    for (const event of textEvents.slice(0, 3)) sse += encoder.encode(event);
    sse += encoder.encode({ type: 'error', error: new GatewayError('upstream_overloaded', 'Overloaded') });
    expect(encoder.encode({ type: 'text-delta', blockId: 'b0', text: 'late' })).toBe('');
    expect(encoder.end()).toBe('');
    expect(sse.endsWith('event: error\ndata: {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}\n\n')).toBe(true);
    expect(sse).not.toContain('message_stop');
    await expect(finalMessageFromSdk(sse)).rejects.toThrow(/Overloaded/);
  });
});

describe('AnthropicStreamEncoder message_start', () => {
  const events: StreamEvent[] = [
    { type: 'response-start', id: 'up-1', model: 'm' },
    { type: 'text-start', blockId: 't' },
    { type: 'text-delta', blockId: 't', text: 'hi' },
    { type: 'text-end', blockId: 't' },
    { type: 'usage', usage: { inputTokens: 321, outputTokens: 2 } },
    { type: 'finish', reason: { unified: 'stop', raw: 'stop' } },
  ];

  it('carries the gateway estimate when the upstream reports input only at the end, and appears exactly once', () => {
    const encoder = new AnthropicStreamEncoder({ ...context, estimatePromptTokens: () => 300 });
    const frames = parseFrames(events.map((event) => encoder.encode(event)).join('') + encoder.end());
    const starts = frames.filter((frame) => frame.event === 'message_start');
    expect(starts).toHaveLength(1);
    expect(starts[0]?.data).toMatchObject({ message: { usage: { input_tokens: 300, output_tokens: 0 } } });
    expect(frames.find((frame) => frame.event === 'message_delta')?.data).toMatchObject({ usage: { input_tokens: 321 } });
  });

  it('carries the upstream count when it came with the start', () => {
    const encoder = new AnthropicStreamEncoder({ ...context, estimatePromptTokens: () => 300 });
    const early: StreamEvent[] = [events[0]!, { type: 'usage', usage: { inputTokens: 42, outputTokens: 1 } }, ...events.slice(1)];
    const frames = parseFrames(early.map((event) => encoder.encode(event)).join('') + encoder.end());
    expect(frames[0]).toMatchObject({ event: 'message_start', data: { message: { usage: { input_tokens: 42 } } } });
  });
});
