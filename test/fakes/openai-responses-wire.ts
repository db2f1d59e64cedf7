import { z } from 'zod';
import type { ScriptToolCall, ScriptUsage } from './fake-types.js';
import { stringifyToolArguments } from './json-styles.js';
import { openAiErrorReply } from './openai-errors.js';
import { splitIntoFragments, splitTextIntoChunks } from './split-chunks.js';
import { fakeId } from './wire-format.js';
import type { Frame, RequestShape, ResponseContext, TextReply, ToolCallsReply, WireFormat } from './wire-format.js';

/**
 * The fake's OpenAI Responses API (`POST /v1/responses`), shaped as OpenAI documents it and the official `openai` SDK
 * types it: a Response object with typed output items, and a stream of named events (`event: response.created` …
 * `response.completed`), each carrying `type` and `sequence_number`. Errors use the same bodies as Chat Completions.
 */

type Json = Record<string, unknown>;

const requestSchema = z.object({ model: z.string().optional(), stream: z.boolean().nullish() });

const responseId = (ctx: ResponseContext): string => fakeId('resp_', 40, ctx.seq);
const requestId = (ctx: ResponseContext): string => fakeId('req_', 32, ctx.seq);

function usageOf(usage: ScriptUsage): Json {
  const input = usage.input + (usage.cacheRead ?? 0) + (usage.cacheWrite ?? 0);
  const output = usage.output + (usage.reasoning ?? 0);
  return {
    input_tokens: input,
    input_tokens_details: { cached_tokens: usage.cacheRead ?? 0 },
    output_tokens: output,
    output_tokens_details: { reasoning_tokens: usage.reasoning ?? 0 },
    total_tokens: input + output,
  };
}

function envelope(ctx: ResponseContext, status: string, output: Json[], extra: Json = {}): Json {
  return {
    id: responseId(ctx),
    object: 'response',
    created_at: 1_767_225_600,
    status,
    error: null,
    incomplete_details: null,
    model: ctx.model,
    output,
    parallel_tool_calls: true,
    store: false,
    usage: null,
    ...extra,
  };
}

const messageItem = (ctx: ResponseContext, index: number, text: string | undefined): Json => ({
  id: fakeId('msg_', 40, ctx.seq, index),
  type: 'message',
  status: text === undefined ? 'in_progress' : 'completed',
  role: 'assistant',
  content: text === undefined ? [] : [{ type: 'output_text', text, annotations: [], logprobs: [] }],
});

const reasoningItem = (ctx: ResponseContext, index: number, text: string | undefined): Json => ({
  id: fakeId('rs_', 40, ctx.seq, index),
  type: 'reasoning',
  summary: text === undefined ? [] : [{ type: 'summary_text', text }],
});

const callItem = (ctx: ResponseContext, index: number, call: ScriptToolCall, args: string | undefined): Json => ({
  id: fakeId('fc_', 40, ctx.seq, index),
  type: 'function_call',
  status: args === undefined ? 'in_progress' : 'completed',
  call_id: call.id ?? fakeId('call_', 24, ctx.seq, index),
  name: call.name,
  arguments: args ?? '',
});

function terminal(finish: 'stop' | 'length'): { status: string; extra: Json } {
  return finish === 'length' ? { status: 'incomplete', extra: { incomplete_details: { reason: 'max_output_tokens' } } } : { status: 'completed', extra: {} };
}

/** Numbers the events of one stream. */
class EventList {
  readonly frames: Frame[] = [];
  private sequence = 0;
  add(type: string, payload: Json, delta = false): void {
    const data = JSON.stringify({ type, sequence_number: this.sequence++, ...payload });
    this.frames.push({ bytes: `event: ${type}\ndata: ${data}\n\n`, delta });
  }
}

function streamText(ctx: ResponseContext, events: EventList, index: number, chunks: string[]): Json {
  const item = messageItem(ctx, index, undefined);
  const at = { item_id: item.id, output_index: index, content_index: 0 };
  events.add('response.output_item.added', { output_index: index, item });
  events.add('response.content_part.added', { ...at, part: { type: 'output_text', text: '', annotations: [] } });
  for (const chunk of chunks) events.add('response.output_text.delta', { ...at, delta: chunk, logprobs: [] }, true);
  const text = chunks.join('');
  events.add('response.output_text.done', { ...at, text, logprobs: [] });
  events.add('response.content_part.done', { ...at, part: { type: 'output_text', text, annotations: [] } });
  const done = messageItem(ctx, index, text);
  events.add('response.output_item.done', { output_index: index, item: done });
  return done;
}

function streamReasoning(ctx: ResponseContext, events: EventList, index: number, reasoning: string): Json {
  const item = reasoningItem(ctx, index, undefined);
  const at = { item_id: item.id, output_index: index, summary_index: 0 };
  events.add('response.output_item.added', { output_index: index, item });
  events.add('response.reasoning_summary_part.added', { ...at, part: { type: 'summary_text', text: '' } });
  for (const chunk of splitTextIntoChunks(reasoning)) events.add('response.reasoning_summary_text.delta', { ...at, delta: chunk }, true);
  events.add('response.reasoning_summary_text.done', { ...at, text: reasoning });
  events.add('response.reasoning_summary_part.done', { ...at, part: { type: 'summary_text', text: reasoning } });
  const done = reasoningItem(ctx, index, reasoning);
  events.add('response.output_item.done', { output_index: index, item: done });
  return done;
}

/** The fake's OpenAI Responses API wire format. */
export const openAiResponsesWire: WireFormat = {
  readRequest(_path: string, body: unknown): RequestShape {
    const parsed = requestSchema.safeParse(body);
    const request = parsed.success ? parsed.data : {};
    return { model: request.model ?? 'gpt-5', stream: request.stream === true, includeUsage: true, includeObfuscation: false };
  },

  jsonHeaders: (ctx) => ({ 'content-type': 'application/json', 'x-request-id': requestId(ctx) }),
  streamHeaders: (ctx) => ({ 'content-type': 'text/event-stream; charset=utf-8', 'x-request-id': requestId(ctx) }),

  textBody(reply: TextReply, ctx: ResponseContext): string {
    const output: Json[] = [];
    if (reply.reasoning !== undefined) output.push(reasoningItem(ctx, 0, reply.reasoning));
    output.push(messageItem(ctx, output.length, reply.chunks.join('')));
    const { status, extra } = terminal(reply.finish);
    return JSON.stringify(envelope(ctx, status, output, { ...extra, usage: usageOf(reply.usage) }));
  },

  textStream(reply: TextReply, ctx: ResponseContext): Frame[] {
    const events = new EventList();
    events.add('response.created', { response: envelope(ctx, 'in_progress', []) });
    events.add('response.in_progress', { response: envelope(ctx, 'in_progress', []) });
    const output: Json[] = [];
    if (reply.reasoning !== undefined) output.push(streamReasoning(ctx, events, 0, reply.reasoning));
    if (reply.open) {
      const index = output.length;
      const item = messageItem(ctx, index, undefined);
      events.add('response.output_item.added', { output_index: index, item });
      for (const chunk of reply.chunks) events.add('response.output_text.delta', { item_id: item.id, output_index: index, content_index: 0, delta: chunk }, true);
      return events.frames;
    }
    output.push(streamText(ctx, events, output.length, reply.chunks));
    const { status, extra } = terminal(reply.finish);
    events.add(status === 'completed' ? 'response.completed' : 'response.incomplete', { response: envelope(ctx, status, output, { ...extra, usage: usageOf(reply.usage) }) });
    return events.frames;
  },

  toolCallsBody(reply: ToolCallsReply, ctx: ResponseContext): string {
    const output: Json[] = [];
    if (reply.text !== undefined) output.push(messageItem(ctx, 0, reply.text));
    reply.calls.forEach((call) => output.push(callItem(ctx, output.length, call, stringifyToolArguments(call.arguments))));
    return JSON.stringify(envelope(ctx, 'completed', output, { usage: usageOf(reply.usage) }));
  },

  toolCallsStream(reply: ToolCallsReply, ctx: ResponseContext): Frame[] {
    const events = new EventList();
    events.add('response.created', { response: envelope(ctx, 'in_progress', []) });
    events.add('response.in_progress', { response: envelope(ctx, 'in_progress', []) });
    const output: Json[] = [];
    if (reply.text !== undefined) output.push(streamText(ctx, events, 0, splitTextIntoChunks(reply.text)));
    for (const call of reply.calls) {
      const index = output.length;
      const item = callItem(ctx, index, call, undefined);
      events.add('response.output_item.added', { output_index: index, item });
      const args = stringifyToolArguments(call.arguments);
      for (const fragment of splitIntoFragments(args, reply.argumentChunks)) {
        events.add('response.function_call_arguments.delta', { item_id: item.id, output_index: index, delta: fragment }, true);
      }
      events.add('response.function_call_arguments.done', { item_id: item.id, output_index: index, name: call.name, arguments: args });
      const done = callItem(ctx, index, call, args);
      events.add('response.output_item.done', { output_index: index, item: done });
      output.push(done);
    }
    events.add('response.completed', { response: envelope(ctx, 'completed', output, { usage: usageOf(reply.usage) }) });
    return events.frames;
  },

  errorReply: (status, body, ctx) => openAiErrorReply(status, body, ctx.model, requestId(ctx)),
  inBandError: () =>
    `event: error\ndata: ${JSON.stringify({ type: 'error', sequence_number: 99, code: 'server_error', message: 'The server had an error while processing your request. Sorry about that!', param: null })}\n\n`,
  frame: (data) => `data: ${data}\n\n`,
};
