import { z } from 'zod';
import { anthropicErrorReply } from './anthropic-errors.js';
import type { ScriptToolCall, ScriptUsage } from './fake-types.js';
import { objectAt, substitute } from './json-template.js';
import type { JsonObject } from './json-template.js';
import { stringifyToolArguments } from './json-styles.js';
import { fixtureJson, fixtureSseData, fixtureText, recordedHeaders } from './recorded-fixtures.js';
import { splitIntoFragments, splitTextIntoChunks } from './split-chunks.js';
import { fakeId } from './wire-format.js';
import type { Frame, RequestShape, ResponseContext, TextReply, ToolCallsReply, WireFormat } from './wire-format.js';

const requestSchema = z.object({ model: z.string().optional(), stream: z.boolean().nullish() });

const TEXT_SAMPLE = 'anthropic-messages.json';
const TOOLS_SAMPLE = 'anthropic-tool-use.json';
const STREAM_SAMPLE = 'anthropic-stream.sse';
const TOOL_STREAM_SAMPLE = 'anthropic-tool-use-stream.sse';
const PING_FRAME = 'event: ping\ndata: {"type": "ping"}\n\n';

function messageId(ctx: ResponseContext): string {
  return fakeId('msg_', 24, ctx.seq);
}

function toolUseId(ctx: ResponseContext, call: ScriptToolCall, index: number): string {
  return call.id ?? fakeId('toolu_', 24, ctx.seq, index);
}

function requestId(ctx: ResponseContext): string {
  return fakeId('req_', 24, ctx.seq);
}

function signature(ctx: ResponseContext): string {
  return Buffer.from(`fake-thinking-signature-${ctx.seq}`).toString('base64');
}

function stopReason(finish: 'stop' | 'length'): string {
  return finish === 'stop' ? 'end_turn' : 'max_tokens';
}

/** Full usage as in a message body: input_tokens excludes cache reads/writes, output_tokens includes thinking. */
function messageUsage(usage: ScriptUsage, outputTokens: number): JsonObject {
  const template = objectAt(fixtureJson(TEXT_SAMPLE), 'usage');
  return substitute(template, {
    input_tokens: usage.input,
    cache_creation_input_tokens: usage.cacheWrite ?? 0,
    cache_read_input_tokens: usage.cacheRead ?? 0,
    cache_creation: substitute(objectAt(template, 'cache_creation'), {
      ephemeral_5m_input_tokens: usage.cacheWrite ?? 0,
    }),
    output_tokens: outputTokens,
  });
}

function totalOutput(usage: ScriptUsage): number {
  return usage.output + (usage.reasoning ?? 0);
}

function sample(name: string, index: number): JsonObject {
  return objectAt(fixtureSseData(name)[index]);
}

/** Collects `event:`/`data:` frames, padding the JSON before its last brace the way the 2026 recordings do. */
class EventList {
  readonly frames: Frame[] = [];
  private nextIndex = 0;
  private pinged = false;

  add(payload: JsonObject, isDelta = false): void {
    const json = JSON.stringify(payload);
    const padding = ' '.repeat((this.frames.length * 5) % 16);
    const bytes = `event: ${String(payload['type'])}\ndata: ${json.slice(0, -1)}${padding}}\n\n`;
    this.frames.push({ bytes, delta: isDelta });
  }

  /** Opens a content block and returns its index; the first block is followed by a ping, as recorded. */
  startBlock(contentBlock: JsonObject, templateName: string): number {
    const index = this.nextIndex++;
    this.add(substitute(sample(templateName, 1), { index, content_block: contentBlock }));
    if (!this.pinged) {
      this.frames.push({ bytes: PING_FRAME, delta: false });
      this.pinged = true;
    }
    return index;
  }

  blockDelta(index: number, delta: JsonObject, isDelta = true): void {
    this.add(substitute(sample(STREAM_SAMPLE, 3), { index, delta }), isDelta);
  }

  stopBlock(index: number): void {
    this.add(substitute(sample(STREAM_SAMPLE, 4), { index }));
  }
}

function messageStart(events: EventList, usage: ScriptUsage, ctx: ResponseContext): void {
  const template = sample(STREAM_SAMPLE, 0);
  const message = substitute(objectAt(template, 'message'), {
    model: ctx.model,
    id: messageId(ctx),
    usage: messageUsage(usage, 1),
  });
  events.add(substitute(template, { message }));
}

function textBlock(events: EventList, chunks: string[]): void {
  const index = events.startBlock({ type: 'text', text: '' }, STREAM_SAMPLE);
  for (const text of chunks) events.blockDelta(index, { type: 'text_delta', text });
  events.stopBlock(index);
}

function messageEnd(events: EventList, reason: string, usage: ScriptUsage): Frame[] {
  const template = sample(STREAM_SAMPLE, 5);
  const deltaUsage = substitute(objectAt(template, 'usage'), {
    input_tokens: usage.input,
    cache_creation_input_tokens: usage.cacheWrite ?? 0,
    cache_read_input_tokens: usage.cacheRead ?? 0,
    output_tokens: totalOutput(usage),
  });
  const delta = substitute(objectAt(template, 'delta'), { stop_reason: reason });
  events.add(substitute(template, { delta, usage: deltaUsage }));
  events.add(sample(STREAM_SAMPLE, 6));
  return events.frames;
}

function messageBody(content: JsonObject[], reason: string, usage: ScriptUsage, ctx: ResponseContext): string {
  const body = substitute(objectAt(fixtureJson(TEXT_SAMPLE)), {
    model: ctx.model,
    id: messageId(ctx),
    content,
    stop_reason: reason,
    usage: messageUsage(usage, totalOutput(usage)),
  });
  return JSON.stringify(body);
}

function toolUseBlock(call: ScriptToolCall, index: number, ctx: ResponseContext, input: unknown): JsonObject {
  const template = objectAt(fixtureJson(TOOLS_SAMPLE), 'content', 0);
  return substitute(template, { id: toolUseId(ctx, call, index), name: call.name, input });
}

/** The fake's Anthropic Messages wire format. */
export const anthropicWire: WireFormat = {
  readRequest(_path: string, body: unknown): RequestShape {
    const parsed = requestSchema.safeParse(body);
    const request = parsed.success ? parsed.data : {};
    return {
      model: request.model ?? 'claude-haiku-4-5',
      stream: request.stream === true,
      includeUsage: true,
      includeObfuscation: false,
    };
  },

  jsonHeaders: (ctx) => recordedHeaders(TEXT_SAMPLE, requestId(ctx)),
  streamHeaders: (ctx) => recordedHeaders(STREAM_SAMPLE, requestId(ctx)),

  textBody(reply: TextReply, ctx: ResponseContext): string {
    const content: JsonObject[] = [];
    if (reply.reasoning !== undefined) {
      content.push({ type: 'thinking', thinking: reply.reasoning, signature: signature(ctx) });
    }
    content.push(substitute(objectAt(fixtureJson(TEXT_SAMPLE), 'content', 0), { text: reply.chunks.join('') }));
    return messageBody(content, stopReason(reply.finish), reply.usage, ctx);
  },

  textStream(reply: TextReply, ctx: ResponseContext): Frame[] {
    const events = new EventList();
    messageStart(events, reply.usage, ctx);
    if (reply.reasoning !== undefined) {
      const index = events.startBlock({ type: 'thinking', thinking: '', signature: '' }, STREAM_SAMPLE);
      for (const thinking of splitTextIntoChunks(reply.reasoning)) {
        events.blockDelta(index, { type: 'thinking_delta', thinking });
      }
      events.blockDelta(index, { type: 'signature_delta', signature: signature(ctx) }, false);
      events.stopBlock(index);
    }
    if (reply.open) {
      const index = events.startBlock({ type: 'text', text: '' }, STREAM_SAMPLE);
      for (const text of reply.chunks) events.blockDelta(index, { type: 'text_delta', text });
      return events.frames;
    }
    textBlock(events, reply.chunks);
    return messageEnd(events, stopReason(reply.finish), reply.usage);
  },

  toolCallsBody(reply: ToolCallsReply, ctx: ResponseContext): string {
    const content: JsonObject[] = [];
    if (reply.text !== undefined) content.push({ type: 'text', text: reply.text });
    reply.calls.forEach((call, index) => content.push(toolUseBlock(call, index, ctx, call.arguments)));
    return messageBody(content, 'tool_use', reply.usage, ctx);
  },

  toolCallsStream(reply: ToolCallsReply, ctx: ResponseContext): Frame[] {
    const events = new EventList();
    messageStart(events, reply.usage, ctx);
    if (reply.text !== undefined) textBlock(events, splitTextIntoChunks(reply.text));
    reply.calls.forEach((call, callIndex) => {
      const index = events.startBlock(toolUseBlock(call, callIndex, ctx, {}), TOOL_STREAM_SAMPLE);
      // A call without arguments streams only the opening `""`, as recorded for no-argument tools.
      const fragments =
        Object.keys(call.arguments).length === 0
          ? []
          : splitIntoFragments(stringifyToolArguments(call.arguments), reply.argumentChunks);
      for (const partial_json of ['', ...fragments]) {
        events.blockDelta(index, { type: 'input_json_delta', partial_json });
      }
      events.stopBlock(index);
    });
    return messageEnd(events, 'tool_use', reply.usage);
  },

  errorReply: (status, body, ctx) => anthropicErrorReply(status, body, requestId(ctx)),
  inBandError: () => fixtureText('anthropic-stream-error.sse'),
  frame: (data) => `event: content_block_delta\ndata: ${data}\n\n`,
};
