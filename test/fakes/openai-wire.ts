import { z } from 'zod';
import type { ScriptToolCall, ScriptUsage } from './fake-types.js';
import { objectAt, substitute } from './json-template.js';
import type { JsonObject } from './json-template.js';
import { stringifyPretty2, stringifyToolArguments } from './json-styles.js';
import { OPENAI_SERVER_ERROR, openAiErrorReply } from './openai-errors.js';
import { fixtureJson, fixtureSseData, recordedHeaders } from './recorded-fixtures.js';
import { splitIntoFragments, splitTextIntoChunks } from './split-chunks.js';
import { fakeId } from './wire-format.js';
import type { Frame, RequestShape, ResponseContext, TextReply, ToolCallsReply, WireFormat } from './wire-format.js';

const requestSchema = z.object({
  model: z.string().optional(),
  stream: z.boolean().nullish(),
  stream_options: z
    .object({ include_usage: z.boolean().nullish(), include_obfuscation: z.boolean().nullish() })
    .nullish(),
});

const TEXT_SAMPLE = 'openai-chat.json';
const TOOLS_SAMPLE = 'openai-chat-tool-calls.json';
const STREAM_SAMPLE = 'openai-chat-stream.sse';
const OBFUSCATION_ALPHABET = 'wfQTBsUsnhq8y1o9MCqyMUtf17TQ0fy3ASHMs6yS3qML';

function completionId(ctx: ResponseContext): string {
  return fakeId('chatcmpl-', 29, ctx.seq);
}

function callId(ctx: ResponseContext, call: ScriptToolCall, index: number): string {
  return call.id ?? fakeId('call_', 24, ctx.seq, index);
}

function requestId(ctx: ResponseContext): string {
  return fakeId('req_', 32, ctx.seq);
}

/** `usage` in OpenAI's fields: prompt_tokens includes cached tokens, completion_tokens includes reasoning. */
function openAiUsage(usage: ScriptUsage): JsonObject {
  const template = objectAt(fixtureJson(TEXT_SAMPLE), 'usage');
  const prompt = usage.input + (usage.cacheRead ?? 0) + (usage.cacheWrite ?? 0);
  const completion = usage.output + (usage.reasoning ?? 0);
  return substitute(template, {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: prompt + completion,
    prompt_tokens_details: substitute(objectAt(template, 'prompt_tokens_details'), {
      cached_tokens: usage.cacheRead ?? 0,
    }),
    completion_tokens_details: substitute(objectAt(template, 'completion_tokens_details'), {
      reasoning_tokens: usage.reasoning ?? 0,
    }),
  });
}

/** One stream chunk shaped like the 2026 recording; `usage: null` and `obfuscation` follow `stream_options`. */
function chunkFrame(ctx: ResponseContext, choices: unknown[], serial: number, usage: JsonObject | null = null): string {
  const template = objectAt(fixtureSseData(STREAM_SAMPLE)[0]);
  const start = serial % 9;
  const chunk = substitute(template, {
    id: completionId(ctx),
    model: ctx.model,
    choices,
    usage: ctx.includeUsage ? usage : undefined,
    obfuscation: ctx.includeObfuscation ? OBFUSCATION_ALPHABET.slice(start, start + 4 + (serial % 7)) : undefined,
  });
  return `data: ${JSON.stringify(chunk)}\n\n`;
}

function choice(delta: JsonObject, finishReason: string | null = null): JsonObject {
  const template = objectAt(fixtureSseData(STREAM_SAMPLE)[0], 'choices', 0);
  return substitute(template, { delta, finish_reason: finishReason });
}

/** Builds the frames of one stream, numbering chunks for the deterministic obfuscation padding. */
class ChunkList {
  readonly frames: Frame[] = [];
  constructor(private readonly ctx: ResponseContext) {}

  add(delta: JsonObject, isDelta: boolean, finishReason: string | null = null): void {
    const bytes = chunkFrame(this.ctx, [choice(delta, finishReason)], this.frames.length);
    this.frames.push({ bytes, delta: isDelta });
  }

  end(usage: ScriptUsage): Frame[] {
    if (this.ctx.includeUsage) {
      this.frames.push({ bytes: chunkFrame(this.ctx, [], this.frames.length, openAiUsage(usage)), delta: false });
    }
    this.frames.push({ bytes: 'data: [DONE]\n\n', delta: false });
    return this.frames;
  }
}

function roleDelta(withText: boolean): JsonObject {
  const recorded = objectAt(fixtureSseData(STREAM_SAMPLE)[0], 'choices', 0, 'delta');
  return withText ? recorded : { role: 'assistant', content: null };
}

/** The fake's OpenAI Chat Completions wire format. */
export const openAiWire: WireFormat = {
  readRequest(_path: string, body: unknown): RequestShape {
    const parsed = requestSchema.safeParse(body);
    const request = parsed.success ? parsed.data : {};
    return {
      model: request.model ?? 'gpt-4.1-nano',
      stream: request.stream === true,
      includeUsage: request.stream_options?.include_usage === true,
      includeObfuscation: request.stream_options?.include_obfuscation !== false,
    };
  },

  jsonHeaders: (ctx) => recordedHeaders(TEXT_SAMPLE, requestId(ctx)),
  streamHeaders: (ctx) => recordedHeaders(STREAM_SAMPLE, requestId(ctx)),

  textBody(reply: TextReply, ctx: ResponseContext): string {
    const root = fixtureJson(TEXT_SAMPLE);
    const message = substitute(objectAt(root, 'choices', 0, 'message'), {
      content: reply.chunks.join(''),
      reasoning_content: reply.reasoning,
    });
    const first = substitute(objectAt(root, 'choices', 0), { message, finish_reason: reply.finish });
    const body = substitute(objectAt(root), {
      id: completionId(ctx),
      model: ctx.model,
      choices: [first],
      usage: openAiUsage(reply.usage),
    });
    return stringifyPretty2(body);
  },

  textStream(reply: TextReply, ctx: ResponseContext): Frame[] {
    const chunks = new ChunkList(ctx);
    chunks.add(roleDelta(true), false);
    if (reply.reasoning !== undefined) {
      for (const piece of splitTextIntoChunks(reply.reasoning)) chunks.add({ reasoning_content: piece }, true);
    }
    for (const piece of reply.chunks) chunks.add({ content: piece }, true);
    if (reply.open) return chunks.frames;
    chunks.add({}, false, reply.finish);
    return chunks.end(reply.usage);
  },

  toolCallsBody(reply: ToolCallsReply, ctx: ResponseContext): string {
    const root = fixtureJson(TOOLS_SAMPLE);
    const callTemplate = objectAt(root, 'choices', 0, 'message', 'tool_calls', 0);
    const toolCalls = reply.calls.map((call, index) =>
      substitute(callTemplate, {
        id: callId(ctx, call, index),
        function: substitute(objectAt(callTemplate, 'function'), {
          name: call.name,
          arguments: stringifyToolArguments(call.arguments),
        }),
      }),
    );
    const message = substitute(objectAt(root, 'choices', 0, 'message'), {
      content: reply.text ?? null,
      tool_calls: toolCalls,
    });
    const first = substitute(objectAt(root, 'choices', 0), { message });
    const body = substitute(objectAt(root), {
      id: completionId(ctx),
      model: ctx.model,
      choices: [first],
      usage: openAiUsage(reply.usage),
    });
    return stringifyPretty2(body);
  },

  toolCallsStream(reply: ToolCallsReply, ctx: ResponseContext): Frame[] {
    const chunks = new ChunkList(ctx);
    chunks.add(roleDelta(reply.text !== undefined), false);
    if (reply.text !== undefined) {
      for (const piece of splitTextIntoChunks(reply.text)) chunks.add({ content: piece }, true);
    }
    reply.calls.forEach((call, index) => {
      const id = callId(ctx, call, index);
      const opening = { index, id, type: 'function', function: { name: call.name, arguments: '' } };
      chunks.add({ tool_calls: [opening] }, true);
      for (const fragment of splitIntoFragments(stringifyToolArguments(call.arguments), reply.argumentChunks)) {
        chunks.add({ tool_calls: [{ index, function: { arguments: fragment } }] }, true);
      }
    });
    chunks.add({}, false, 'tool_calls');
    return chunks.end(reply.usage);
  },

  errorReply: (status, body, ctx) => openAiErrorReply(status, body, ctx.model, requestId(ctx)),
  inBandError: () => `data: ${JSON.stringify(OPENAI_SERVER_ERROR)}\n\n`,
  frame: (data) => `data: ${data}\n\n`,
};
