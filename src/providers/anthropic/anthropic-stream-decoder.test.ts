import { readFileSync } from 'node:fs';
import { createParser } from 'eventsource-parser';
import { describe, expect, it } from 'vitest';
import { collectStream } from '../../core/index.js';
import type { StreamEvent, Target } from '../../core/index.js';
import type { SseEvent } from '../provider-adapter.js';
import { anthropicAdapter } from './anthropic-adapter.js';
import { JSON_OUTPUT_TOOL_NAME } from './anthropic-settings.js';

const target: Target = {
  provider: { id: 'claude', type: 'anthropic', baseUrl: 'https://api.anthropic.com', headers: {}, options: {} },
  model: 'claude-haiku-4-5',
};

function replay(sse: string): StreamEvent[] {
  const decoder = anthropicAdapter.createStreamDecoder(target);
  const events: StreamEvent[] = [];
  const parser = createParser({ onEvent: (event: SseEvent) => events.push(...decoder.push(event)) });
  parser.feed(sse);
  events.push(...decoder.end());
  return events;
}

function fixture(name: string): string {
  return readFileSync(new URL(`../../wire/anthropic-messages/__fixtures__/${name}`, import.meta.url), 'utf8');
}

function sse(...payloads: Array<Record<string, unknown>>): string {
  return payloads.map((p) => `event: ${String(p.type)}\ndata: ${JSON.stringify(p)}\n\n`).join('');
}

const messageStart = { type: 'message_start', message: { id: 'msg_1', model: 'claude-x', usage: { input_tokens: 10, output_tokens: 1 } } };
const messageStop = { type: 'message_stop' };

describe('Anthropic stream decoder', () => {
  it('gives a tool call that streamed no arguments the arguments "{}"', async () => {
    const events = replay(fixture('anthropic-tool-use-no-arguments-stream.sse'));
    expect(events).toContainEqual({ type: 'tool-input-delta', blockId: '0', argumentsDelta: '{}' });
    const response = await collectStream(events);
    expect(response.content).toEqual([{ type: 'tool-call', callId: 'toolu_01NoArgs', name: 'get_time', arguments: '{}' }]);
    expect(response.finishReason.unified).toBe('tool-calls');
  });

  it('decodes the recorded text stream, skipping ping and padded JSON', async () => {
    const events = replay(fixture('anthropic-stream.sse'));
    expect(events.map((e) => e.type)).toEqual(['response-start', 'usage', 'text-start', 'text-delta', 'text-end', 'usage', 'finish']);
    const response = await collectStream(events);
    expect(response).toMatchObject({
      id: 'msg_011CeCGmCzjcUtmtEmMdEiM2',
      model: 'claude-haiku-4-5-20251001',
      content: [{ type: 'text', text: '1\n2\n3' }],
      finishReason: { unified: 'stop', raw: 'end_turn' },
      usage: { inputTokens: 15, cacheReadTokens: 0, cacheWriteTokens: 0, outputTokens: 9 },
    });
  });

  it('decodes the recorded tool-use stream into one tool call with its arguments', async () => {
    const response = await collectStream(replay(fixture('anthropic-tool-use-stream.sse')));
    expect(response.content).toEqual([
      { type: 'tool-call', callId: 'toolu_01MKSN7NHsBVKr7Jvw5pqCQq', name: 'weather', arguments: '{"latitude": "52.5200", "longitude": "13.4050"}' },
    ]);
    expect(response.finishReason).toEqual({ unified: 'tool-calls', raw: 'tool_use' });
    expect(response.usage).toMatchObject({ inputTokens: 633, outputTokens: 75 });
  });

  it('turns a mid-stream overloaded error into a retryable upstream_overloaded error', () => {
    const events = replay(fixture('anthropic-stream-error.sse'));
    expect(events).toHaveLength(1);
    const event = events[0];
    expect(event?.type).toBe('error');
    if (event?.type !== 'error') return;
    expect(event.error).toMatchObject({ code: 'upstream_overloaded', retryable: true, provider: 'claude' });
  });

  it('counts toolIndex over tool_use blocks only, not content-block indexes', async () => {
    const events = replay(
      sse(
        messageStart,
        { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
        { type: 'content_block_delta', index: 0, delta: { type: 'text_delta', text: 'Checking both.' } },
        { type: 'content_block_stop', index: 0 },
        { type: 'content_block_start', index: 1, content_block: { type: 'tool_use', id: 'toolu_a', name: 'weather', input: {} } },
        { type: 'content_block_delta', index: 1, delta: { type: 'input_json_delta', partial_json: '{"city":"Berlin"}' } },
        { type: 'content_block_stop', index: 1 },
        { type: 'content_block_start', index: 2, content_block: { type: 'tool_use', id: 'toolu_b', name: 'best_language', input: {} } },
        { type: 'content_block_delta', index: 2, delta: { type: 'input_json_delta', partial_json: '' } },
        { type: 'content_block_stop', index: 2 },
        { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 40 } },
        messageStop,
      ),
    );
    const starts = events.filter((e) => e.type === 'tool-input-start');
    expect(starts).toEqual([
      { type: 'tool-input-start', blockId: '1', toolIndex: 0, callId: 'toolu_a', name: 'weather' },
      { type: 'tool-input-start', blockId: '2', toolIndex: 1, callId: 'toolu_b', name: 'best_language' },
    ]);
    const response = await collectStream(events);
    expect(response.content).toEqual([
      { type: 'text', text: 'Checking both.' },
      { type: 'tool-call', callId: 'toolu_a', name: 'weather', arguments: '{"city":"Berlin"}' },
      { type: 'tool-call', callId: 'toolu_b', name: 'best_language', arguments: '{}' },
    ]);
    expect(response.usage).toMatchObject({ inputTokens: 10, outputTokens: 40 });
  });

  it('carries thinking text and its signature, and splits thinking tokens out of output', async () => {
    const response = await collectStream(
      replay(
        sse(
          messageStart,
          { type: 'content_block_start', index: 0, content_block: { type: 'thinking', thinking: '' } },
          { type: 'content_block_delta', index: 0, delta: { type: 'thinking_delta', thinking: 'Let me think.' } },
          { type: 'content_block_delta', index: 0, delta: { type: 'signature_delta', signature: 'sig-1' } },
          { type: 'content_block_stop', index: 0 },
          { type: 'content_block_start', index: 1, content_block: { type: 'redacted_thinking', data: 'opaque' } },
          { type: 'content_block_stop', index: 1 },
          {
            type: 'message_delta',
            delta: { stop_reason: 'max_tokens' },
            usage: { input_tokens: null, output_tokens: 50, output_tokens_details: { thinking_tokens: 30 } },
          },
          messageStop,
        ),
      ),
    );
    expect(response.content).toEqual([
      { type: 'reasoning', text: 'Let me think.', signature: 'sig-1' },
      { type: 'reasoning', text: '', redactedData: 'opaque' },
    ]);
    expect(response.finishReason).toEqual({ unified: 'length', raw: 'max_tokens' });
    expect(response.usage).toMatchObject({ inputTokens: 10, outputTokens: 20, reasoningTokens: 30 });
  });

  it('returns the JSON-output tool input as text and finishes with stop', async () => {
    const response = await collectStream(
      replay(
        sse(
          messageStart,
          { type: 'content_block_start', index: 0, content_block: { type: 'tool_use', id: 'toolu_j', name: JSON_OUTPUT_TOOL_NAME, input: {} } },
          { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '{"answer":' } },
          { type: 'content_block_delta', index: 0, delta: { type: 'input_json_delta', partial_json: '42}' } },
          { type: 'content_block_stop', index: 0 },
          { type: 'message_delta', delta: { stop_reason: 'tool_use' }, usage: { output_tokens: 12 } },
          messageStop,
        ),
      ),
    );
    expect(response.content).toEqual([{ type: 'text', text: '{"answer":42}' }]);
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'tool_use' });
  });

  it('accepts the event name when the payload has no type, and ignores unknown events', async () => {
    const text =
      'event: message_start\ndata: {"message":{"id":"msg_2"}}\n\n' +
      'event: brand_new_event\ndata: {"type":"brand_new_event"}\n\n' +
      sse({ type: 'message_delta', delta: { stop_reason: 'stop_sequence', stop_sequence: 'END' } }, messageStop);
    const response = await collectStream(replay(text));
    expect(response.id).toBe('msg_2');
    expect(response.finishReason).toEqual({ unified: 'stop', raw: 'stop_sequence', stopSequence: 'END' });
  });

  it('reports a stream that closes before message_stop as malformed', () => {
    const events = replay(sse(messageStart, { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } }));
    const last = events.at(-1);
    expect(last?.type).toBe('error');
    if (last?.type !== 'error') return;
    expect(last.error.code).toBe('upstream_malformed_response');
    expect(last.error.message).toContain('before message_stop');
  });

  it('reports non-JSON data as malformed and stops decoding', () => {
    const events = replay('event: message_start\ndata: {not json\n\n' + sse(messageStop));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'error', error: { code: 'upstream_malformed_response' } });
  });
});
