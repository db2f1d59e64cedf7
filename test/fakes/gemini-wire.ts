import type { ScriptToolCall, ScriptUsage } from './fake-types.js';
import { geminiErrorReply, geminiInBandError } from './gemini-errors.js';
import { objectAt, substitute } from './json-template.js';
import type { JsonObject } from './json-template.js';
import { stringifyGeminiEvent, stringifyPretty2 } from './json-styles.js';
import { fixtureJson, fixtureSseData, recordedHeaders } from './recorded-fixtures.js';
import { fakeId } from './wire-format.js';
import type { Frame, RequestShape, ResponseContext, TextReply, ToolCallsReply, WireFormat } from './wire-format.js';

const TEXT_SAMPLE = 'gemini-generate.json';
const TOOLS_SAMPLE = 'gemini-function-call.json';
const STREAM_SAMPLE = 'gemini-stream.sse';
const TOOL_STREAM_SAMPLE = 'gemini-function-call-stream.sse';
const MODEL_IN_PATH = /\/models\/([^/:?]+):(generateContent|streamGenerateContent)/;

function responseId(ctx: ResponseContext): string {
  return fakeId('', 23, ctx.seq);
}

function thoughtSignature(ctx: ResponseContext): string {
  return Buffer.from(`fake-thought-signature-${ctx.seq}`).toString('base64');
}

/**
 * A usageMetadata snapshot: promptTokenCount includes cached tokens, candidatesTokenCount excludes thoughts,
 * thoughtsTokenCount and cachedContentTokenCount only when the script reports them.
 */
function usageMetadata(usage: ScriptUsage, candidates: number): JsonObject {
  const template = objectAt(fixtureJson(TEXT_SAMPLE), 'usageMetadata');
  const prompt = usage.input + (usage.cacheRead ?? 0) + (usage.cacheWrite ?? 0);
  return substitute(template, {
    promptTokenCount: prompt,
    candidatesTokenCount: candidates,
    totalTokenCount: prompt + candidates + (usage.reasoning ?? 0),
    promptTokensDetails: [substitute(objectAt(template, 'promptTokensDetails', 0), { tokenCount: prompt })],
    thoughtsTokenCount: usage.reasoning,
    cachedContentTokenCount: usage.cacheRead,
  });
}

/** A whole GenerateContentResponse built on `root`, keeping the recorded key order. */
function response(
  root: unknown,
  parts: JsonObject[],
  finish: JsonObject,
  usage: JsonObject,
  ctx: ResponseContext,
): JsonObject {
  const candidate = objectAt(root, 'candidates', 0);
  const content = substitute(objectAt(candidate, 'content'), { parts });
  return substitute(objectAt(root), {
    candidates: [substitute(candidate, { content, ...finish })],
    usageMetadata: usage,
    modelVersion: ctx.model,
    responseId: responseId(ctx),
  });
}

function functionCallParts(calls: ScriptToolCall[], ctx: ResponseContext): JsonObject[] {
  const parts = objectAt(fixtureJson(TOOLS_SAMPLE), 'candidates', 0, 'content');
  // Only the first of parallel calls carries a thoughtSignature, as recorded.
  return calls.map((call, index) =>
    substitute(objectAt(parts, 'parts', index === 0 ? 0 : 1), {
      functionCall: { name: call.name, args: call.arguments },
      thoughtSignature: index === 0 ? thoughtSignature(ctx) : undefined,
    }),
  );
}

function textParts(text: string, reasoning: string | undefined): JsonObject[] {
  const parts: JsonObject[] = reasoning === undefined ? [] : [{ text: reasoning, thought: true }];
  parts.push({ text });
  return parts;
}

function eventFrame(event: JsonObject, isDelta: boolean): Frame {
  return { bytes: `data: ${stringifyGeminiEvent(event)}\r\n\r\n`, delta: isDelta };
}

const NO_FINISH: JsonObject = { finishReason: undefined, finishMessage: undefined };
const TOOL_FINISH: JsonObject = { finishReason: 'STOP', finishMessage: 'Model generated function call(s).' };

/** The fake's Gemini generateContent wire format. */
export const geminiWire: WireFormat = {
  readRequest(path: string): RequestShape {
    const match = MODEL_IN_PATH.exec(path);
    return {
      model: match?.[1] ?? 'gemini-2.5-flash',
      stream: match?.[2] === 'streamGenerateContent',
      includeUsage: true,
      includeObfuscation: false,
    };
  },

  jsonHeaders: () => recordedHeaders(TEXT_SAMPLE, ''),
  streamHeaders: () => recordedHeaders(STREAM_SAMPLE, ''),

  textBody(reply: TextReply, ctx: ResponseContext): string {
    const finishReason = reply.finish === 'stop' ? 'STOP' : 'MAX_TOKENS';
    const parts = textParts(reply.chunks.join(''), reply.reasoning);
    const usage = usageMetadata(reply.usage, reply.usage.output);
    return stringifyPretty2(response(fixtureJson(TEXT_SAMPLE), parts, { finishReason }, usage, ctx));
  },

  textStream(reply: TextReply, ctx: ResponseContext): Frame[] {
    const root = fixtureSseData(STREAM_SAMPLE)[1];
    const frames: Frame[] = [];
    if (reply.reasoning !== undefined) {
      const parts = [{ text: reply.reasoning, thought: true }];
      frames.push(eventFrame(response(root, parts, NO_FINISH, usageMetadata(reply.usage, 0), ctx), true));
    }
    reply.chunks.forEach((text, index) => {
      const last = index === reply.chunks.length - 1;
      const finishReason = last && !reply.open ? (reply.finish === 'stop' ? 'STOP' : 'MAX_TOKENS') : undefined;
      const candidates = Math.round((reply.usage.output * (index + 1)) / reply.chunks.length);
      const usage = usageMetadata(reply.usage, candidates);
      frames.push(eventFrame(response(root, [{ text }], { finishReason }, usage, ctx), true));
    });
    return frames;
  },

  toolCallsBody(reply: ToolCallsReply, ctx: ResponseContext): string {
    const parts = [...(reply.text === undefined ? [] : [{ text: reply.text }]), ...functionCallParts(reply.calls, ctx)];
    const usage = usageMetadata(reply.usage, reply.usage.output);
    return stringifyPretty2(response(fixtureJson(TOOLS_SAMPLE), parts, TOOL_FINISH, usage, ctx));
  },

  toolCallsStream(reply: ToolCallsReply, ctx: ResponseContext): Frame[] {
    const root = fixtureSseData(TOOL_STREAM_SAMPLE)[0];
    const frames: Frame[] = [];
    if (reply.text !== undefined) {
      const usage = usageMetadata(reply.usage, Math.floor(reply.usage.output / 2));
      frames.push(eventFrame(response(root, [{ text: reply.text }], NO_FINISH, usage, ctx), true));
    }
    const usage = usageMetadata(reply.usage, reply.usage.output);
    frames.push(eventFrame(response(root, functionCallParts(reply.calls, ctx), TOOL_FINISH, usage, ctx), true));
    return frames;
  },

  errorReply: (status, body, ctx) => geminiErrorReply(status, body, ctx.model),
  inBandError: () => geminiInBandError(),
  frame: (data) => `data: ${data}\r\n\r\n`,
};
