import { describe, expect, it } from 'vitest';
import { GatewayError, type StreamEvent } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';
import { createOpenAIResponsesStreamEncoder } from './create-openai-responses-stream-encoder.js';

const context: RenderContext = {
  requestId: 'req1',
  model: 'alias',
  created: 1_700_000_000,
  includeUsage: false,
  request: {
    model: 'alias',
    stream: true,
    messages: [],
    tools: [{ name: 'docs__search', namespace: 'docs', parameters: { type: 'object' } }],
  },
};

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

function encodeAll(events: StreamEvent[], end = true): Frame[] {
  const encoder = createOpenAIResponsesStreamEncoder(context);
  let text = events.map((event) => encoder.encode(event)).join('');
  if (end) text += encoder.end();
  return text
    .split('\n\n')
    .filter((block) => block !== '')
    .map((block) => {
      const [eventLine, dataLine] = block.split('\n');
      return { event: (eventLine ?? '').slice('event: '.length), data: JSON.parse((dataLine ?? '').slice('data: '.length)) as Record<string, unknown> };
    });
}

describe('the Responses stream encoder', () => {
  it('emits the typed lifecycle for text then a namespaced tool call, numbered in order', () => {
    const frames = encodeAll([
      { type: 'response-start' },
      { type: 'text-start', blockId: 't' },
      { type: 'text-delta', blockId: 't', text: 'Hel' },
      { type: 'text-delta', blockId: 't', text: 'lo' },
      { type: 'text-end', blockId: 't' },
      { type: 'tool-input-start', blockId: 'c', toolIndex: 0, callId: 'call_1', name: 'docs__search' },
      { type: 'tool-input-delta', blockId: 'c', argumentsDelta: '{"query":' },
      { type: 'tool-input-delta', blockId: 'c', argumentsDelta: '"x"}' },
      { type: 'tool-input-end', blockId: 'c' },
      { type: 'usage', usage: { inputTokens: 7, outputTokens: 3 } },
      { type: 'finish', reason: { unified: 'tool-calls' } },
    ]);
    expect(frames.map((frame) => frame.event)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
      'response.output_text.delta',
      'response.output_text.delta',
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(frames.map((frame) => frame.data.sequence_number)).toEqual(frames.map((_, i) => i));
    expect(frames.every((frame) => frame.data.type === frame.event)).toBe(true);
    const completed = frames.at(-1)?.data.response as Record<string, unknown>;
    expect(completed).toMatchObject({
      id: 'resp_req1',
      status: 'completed',
      usage: { input_tokens: 7, output_tokens: 3, total_tokens: 10 },
      output: [
        { type: 'message', content: [{ type: 'output_text', text: 'Hello' }] },
        { type: 'function_call', call_id: 'call_1', name: 'search', namespace: 'docs', arguments: '{"query":"x"}' },
      ],
    });
  });

  it('reports a length finish as an incomplete response', () => {
    const frames = encodeAll([{ type: 'text-start', blockId: 't' }, { type: 'text-delta', blockId: 't', text: 'a' }, { type: 'finish', reason: { unified: 'length' } }]);
    expect(frames.at(-1)).toMatchObject({
      event: 'response.incomplete',
      data: { response: { status: 'incomplete', incomplete_details: { reason: 'max_output_tokens' } } },
    });
  });

  it('ends a failed stream with response.failed and an error event, never response.completed', () => {
    const frames = encodeAll([
      { type: 'text-start', blockId: 't' },
      { type: 'text-delta', blockId: 't', text: 'par' },
      { type: 'error', error: new GatewayError('upstream_server_error', 'upstream broke') },
    ]);
    const names = frames.map((frame) => frame.event);
    expect(names.slice(-2)).toEqual(['response.failed', 'error']);
    expect(names).not.toContain('response.completed');
    expect(frames.at(-1)?.data).toMatchObject({ code: 'upstream_server_error', message: 'upstream broke', error: { type: 'server_error' } });
  });
});
