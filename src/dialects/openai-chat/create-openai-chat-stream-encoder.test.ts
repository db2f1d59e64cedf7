import { readFileSync } from 'node:fs';
import { APIError } from 'openai';
import { Stream } from 'openai/core/streaming';
import { ChatCompletionStream } from 'openai/lib/ChatCompletionStream';
import type { ChatCompletion, ChatCompletionChunk } from 'openai/resources/chat/completions';
import { describe, expect, it } from 'vitest';
import { GatewayError, type StreamEvent } from '../../core/index.js';
import type { RenderContext } from '../dialect.js';
import { createOpenAIChatStreamEncoder } from './create-openai-chat-stream-encoder.js';

function context(includeUsage: boolean): RenderContext {
  return { requestId: 'req_1', model: 'smart', created: 1727346178, includeUsage };
}

function encodeAll(events: StreamEvent[], includeUsage = false): string {
  const encoder = createOpenAIChatStreamEncoder(context(includeUsage));
  return events.map((event) => encoder.encode(event)).join('') + encoder.end();
}

/** Splits SSE text into its `data:` payloads, asserting the framing the OpenAI SDK expects. */
function payloads(sse: string): string[] {
  expect(sse.endsWith('\n\n')).toBe(true);
  return sse
    .slice(0, -2)
    .split('\n\n')
    .map((frame) => {
      expect(frame.startsWith('data: ')).toBe(true);
      expect(frame).not.toContain('\n');
      return frame.slice('data: '.length);
    });
}

function chunks(sse: string): ChatCompletionChunk[] {
  return payloads(sse)
    .filter((data) => data !== '[DONE]')
    .map((data) => JSON.parse(data) as ChatCompletionChunk);
}

function sdkStream(sse: string): Stream<ChatCompletionChunk> {
  const response = new Response(sse, { headers: { 'content-type': 'text/event-stream' } });
  return Stream.fromSSEResponse<ChatCompletionChunk>(response, new AbortController());
}

/** Reassembles the stream exactly as the official SDK's ChatCompletionStream helper does. */
async function reassemble(sse: string): Promise<ChatCompletion> {
  return ChatCompletionStream.fromReadableStream(sdkStream(sse).toReadableStream()).finalChatCompletion();
}

const textEvents: StreamEvent[] = [
  { type: 'response-start', id: 'up_1', model: 'gpt-4.1-nano' },
  { type: 'text-start', blockId: 't' },
  { type: 'text-delta', blockId: 't', text: '1, 2, ' },
  { type: 'text-delta', blockId: 't', text: '3' },
  { type: 'text-end', blockId: 't' },
  { type: 'warning', warning: { code: 'parameter_dropped', param: 'seed', message: 'seed dropped' } },
  { type: 'finish', reason: { unified: 'stop', raw: 'end_turn' } },
  { type: 'usage', usage: { inputTokens: 14, outputTokens: 7 } },
];

const ROLE_DELTA = { role: 'assistant' as const, content: '' };

function choicesOf(list: ChatCompletionChunk[]): ChatCompletionChunk.Choice[] {
  return list.flatMap((chunk) => chunk.choices);
}

const recordedTextStream = readFileSync(new URL('../../wire/openai-chat/__fixtures__/openai-chat-stream.sse', import.meta.url), 'utf8');
const recordedToolStream = readFileSync(new URL('../../wire/openai-chat/__fixtures__/openai-tool-call-stream.sse', import.meta.url), 'utf8');

/** The events an upstream decoder would produce for the recorded parallel tool-call stream. */
function toolEvents(): StreamEvent[] {
  const events: StreamEvent[] = [{ type: 'response-start' }];
  for (const chunk of chunks(recordedToolStream)) {
    for (const call of chunk.choices[0]?.delta.tool_calls ?? []) {
      const blockId = `tool-${call.index}`;
      if (call.id !== undefined && call.function?.name !== undefined) {
        events.push({ type: 'tool-input-start', blockId, toolIndex: call.index, callId: call.id, name: call.function.name });
      }
      if (call.function?.arguments) events.push({ type: 'tool-input-delta', blockId, argumentsDelta: call.function.arguments });
    }
  }
  events.push(
    { type: 'tool-input-end', blockId: 'tool-0' },
    { type: 'tool-input-end', blockId: 'tool-1' },
    { type: 'usage', usage: { inputTokens: 149, outputTokens: 60, reasoningTokens: 0 } },
    { type: 'finish', reason: { unified: 'tool-calls' } },
  );
  return events;
}

describe('createOpenAIChatStreamEncoder', () => {
  it('writes a text chunk byte for byte as JSON.stringify would, whatever the text and the model name hold', () => {
    const model = 'tricky {"content":""} "model"';
    const encoder = createOpenAIChatStreamEncoder({ requestId: 'r"1', model, created: 1, includeUsage: false });
    encoder.encode({ type: 'response-start' });
    for (const text of ['plain', 'quote " and \\ backslash', 'line\nbreak\ttab', 'ünïcödé 🚀', '\u2028\u0000', '{"content":""}']) {
      const expected = `data: ${JSON.stringify({
        id: 'chatcmpl-r"1',
        object: 'chat.completion.chunk',
        created: 1,
        model,
        choices: [{ index: 0, delta: { content: text }, logprobs: null, finish_reason: null }],
      })}\n\n`;
      expect(encoder.encode({ type: 'text-delta', blockId: 'b', text })).toBe(expected);
    }
  });

  it('streams text as role chunk, content deltas, finish chunk and [DONE] without usage when not requested', () => {
    const sse = encodeAll(textEvents);
    expect(payloads(sse).at(-1)).toBe('[DONE]');
    expect(chunks(sse)).toEqual(
      [{ role: 'assistant', content: '' }, { content: '1, 2, ' }, { content: '3' }, {}].map((delta, i, all) => ({
        id: 'chatcmpl-req_1',
        object: 'chat.completion.chunk',
        created: 1727346178,
        model: 'smart',
        choices: [{ index: 0, delta, logprobs: null, finish_reason: i === all.length - 1 ? 'stop' : null }],
      })),
    );
    expect(sse).not.toContain('usage');
  });

  it('sends the usage chunk after the finish chunk and before [DONE] when include_usage is on', () => {
    const sse = encodeAll(textEvents, true);
    const all = chunks(sse);
    expect(all.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    expect(all.at(-1)).toEqual({
      id: 'chatcmpl-req_1',
      object: 'chat.completion.chunk',
      created: 1727346178,
      model: 'smart',
      choices: [],
      usage: {
        prompt_tokens: 14,
        completion_tokens: 7,
        total_tokens: 21,
        prompt_tokens_details: { cached_tokens: 0 },
        completion_tokens_details: { reasoning_tokens: 0 },
      },
    });
    expect(payloads(sse).at(-1)).toBe('[DONE]');
    expect(all.slice(0, -1).every((chunk) => !('usage' in chunk))).toBe(true);
  });

  it('emits the same choices as the recorded text stream', () => {
    const recorded = chunks(recordedTextStream);
    const events: StreamEvent[] = [{ type: 'response-start' }, { type: 'text-start', blockId: 't' }];
    for (const choice of choicesOf(recorded)) {
      if (choice.delta.content) events.push({ type: 'text-delta', blockId: 't', text: choice.delta.content });
    }
    events.push({ type: 'text-end', blockId: 't' }, { type: 'finish', reason: { unified: 'stop' } });
    // The 2026 recording adds `refusal: null` to the role delta; the gateway keeps chunks minimal.
    expect(choicesOf(chunks(encodeAll(events, true)))).toEqual(
      choicesOf(recorded).map((choice, i) => (i === 0 ? { ...choice, delta: ROLE_DELTA } : choice)),
    );
  });

  it('lets the official SDK reassemble the text', async () => {
    const completion = await reassemble(encodeAll(textEvents, true));
    expect(completion.choices[0]?.message.content).toBe('1, 2, 3');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.total_tokens).toBe(21);
  });

  it('emits the recorded tool-call fragments for two parallel calls', () => {
    const ours = chunks(encodeAll(toolEvents(), true));
    const recorded = chunks(recordedToolStream);
    // The recording opens a tool turn with `content: null`; the gateway always opens with `content: ''`.
    expect(choicesOf(ours)).toEqual(choicesOf(recorded).map((choice, i) => (i === 0 ? { ...choice, delta: ROLE_DELTA } : choice)));
    expect(ours.at(-2)?.choices[0]?.finish_reason).toBe('tool_calls');
    expect(ours.at(-1)?.usage).toMatchObject({ prompt_tokens: 149, completion_tokens: 60, total_tokens: 209 });
  });

  it('lets the official SDK reassemble two parallel tool calls', async () => {
    const completion = await reassemble(encodeAll(toolEvents()));
    expect(completion.choices[0]?.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]?.message.tool_calls).toEqual([
      {
        id: 'call_JMW1whyEaYG438VE1OIflxA2',
        type: 'function',
        function: { name: 'GetWeatherArgs', arguments: '{"city": "Edinburgh", "country": "GB", "units": "c"}' },
      },
      {
        id: 'call_DNYTawLBoN8fj3KN6qU9N1Ou',
        type: 'function',
        function: { name: 'get_stock_price', arguments: '{"ticker": "AAPL", "exchange": "NASDAQ"}' },
      },
    ]);
  });

  it('streams reasoning deltas as reasoning_content', () => {
    const sse = encodeAll([
      { type: 'reasoning-start', blockId: 'r' },
      { type: 'reasoning-delta', blockId: 'r', text: 'hmm' },
      { type: 'reasoning-end', blockId: 'r' },
      { type: 'finish', reason: { unified: 'stop' } },
    ]);
    expect(chunks(sse).map((chunk) => chunk.choices[0]?.delta)).toEqual([
      { role: 'assistant', content: '' },
      { reasoning_content: 'hmm' },
      {},
    ]);
  });

  it('always sends a finish chunk with stop when the upstream never finished', () => {
    const sse = encodeAll([{ type: 'text-delta', blockId: 't', text: 'partial' }], true);
    const all = chunks(sse);
    expect(all.map((chunk) => (chunk.choices[0] ? chunk.choices[0].finish_reason : 'usage'))).toEqual([
      null,
      null,
      'stop',
      'usage',
    ]);
    expect(payloads(sse).at(-1)).toBe('[DONE]');
  });

  it('sends exactly one finish chunk and drops content after it', () => {
    const sse = encodeAll([
      { type: 'finish', reason: { unified: 'length' } },
      { type: 'text-delta', blockId: 't', text: 'late' },
      { type: 'finish', reason: { unified: 'stop' } },
    ]);
    expect(chunks(sse).map((chunk) => chunk.choices[0]?.finish_reason)).toEqual([null, 'length']);
  });

  it('ends a failed stream with an error payload the SDK throws on, and never [DONE]', async () => {
    const encoder = createOpenAIChatStreamEncoder(context(true));
    let sse = encoder.encode({ type: 'response-start' });
    sse += encoder.encode({ type: 'text-delta', blockId: 't', text: 'Hel' });
    sse += encoder.encode({
      type: 'error',
      error: new GatewayError('upstream_stalled', 'Upstream stalled', { provider: 'oai' }),
    });
    sse += encoder.encode({ type: 'finish', reason: { unified: 'stop' } });
    const tail = encoder.end();
    expect(tail).toBe('');
    sse += tail;
    expect(payloads(sse).at(-1)).toBe(
      JSON.stringify({ error: { message: 'Upstream stalled', type: 'timeout_error', code: 'upstream_stalled', param: null } }),
    );
    expect(sse).not.toContain('[DONE]');

    const seen: string[] = [];
    const consume = async (): Promise<void> => {
      for await (const chunk of sdkStream(sse)) seen.push(chunk.choices[0]?.delta.content ?? '');
    };
    await expect(consume()).rejects.toBeInstanceOf(APIError);
    expect(seen).toEqual(['', 'Hel']);
  });
});
