import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { once } from 'node:events';
import type { FloodScript, Script, ScriptUsage, TextScript, ToolCallsScript } from './fake-types.js';
import { splitTextIntoChunks } from './split-chunks.js';
import type { Frame, ResponseContext, TextReply, WireFormat } from './wire-format.js';

/** The text a fault script streams or cuts short when the script itself carries none. */
export const DEFAULT_TEXT = 'Hello from the fake upstream.';

const DEFAULT_ARGUMENT_CHUNKS = 4;
const DEFAULT_INPUT_TOKENS = 12;
const MALFORMED_BODY = '{"id": "fake", "choices": [ <this is not json> ';
const HTML_BODY =
  '<!DOCTYPE html>\n<html><head><title>Just a moment...</title></head><body><h1>Checking your browser</h1></body></html>\n';

/** Everything a script needs to answer one request. */
export interface ScriptRun {
  req: IncomingMessage;
  res: ServerResponse;
  body: unknown;
  wire: WireFormat;
  ctx: ResponseContext;
  /** Aborted when the response's connection closes. */
  signal: AbortSignal;
  /** Called before the fake destroys a socket itself, so the close is not recorded as a client abort. */
  markSelfDestroyed(): void;
}

interface Timing {
  ttftMs?: number;
  delayMs?: number;
}

async function pause(ms: number | undefined, signal: AbortSignal): Promise<void> {
  if (ms === undefined || ms <= 0 || signal.aborted) return;
  await sleep(ms, undefined, { signal }).catch(() => undefined);
}

function sendBody(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(body)) });
  res.end(body);
}

function openStream(run: ScriptRun): void {
  run.res.writeHead(200, run.wire.streamHeaders(run.ctx));
  run.res.flushHeaders();
}

/** Writes frames in order, pausing before deltas; false when the client went away part-way. */
async function writeFrames(run: ScriptRun, frames: Frame[], timing: Timing): Promise<boolean> {
  let deltas = 0;
  for (const frame of frames) {
    if (frame.delta) {
      await pause(deltas === 0 ? timing.ttftMs : timing.delayMs, run.signal);
      deltas += 1;
    }
    if (run.signal.aborted) return false;
    run.res.write(frame.bytes);
  }
  return true;
}

/** The frames up to and including the `count`-th delta. */
function takeThroughDeltas(frames: Frame[], count: number): Frame[] {
  const taken: Frame[] = [];
  let deltas = 0;
  for (const frame of frames) {
    if (frame.delta) {
      if (deltas === count) break;
      deltas += 1;
    }
    taken.push(frame);
  }
  return taken;
}

function usageOrDefault(usage: ScriptUsage | undefined, output: number): ScriptUsage {
  return usage ?? { input: DEFAULT_INPUT_TOKENS, output };
}

function textReply(script: Pick<TextScript, 'text' | 'usage' | 'finish' | 'reasoning'>, open: boolean): TextReply {
  const chunks = splitTextIntoChunks(script.text);
  return {
    chunks,
    reasoning: script.reasoning,
    usage: usageOrDefault(script.usage, chunks.length),
    finish: script.finish ?? 'stop',
    open,
  };
}

async function answerText(script: TextScript, run: ScriptRun): Promise<void> {
  const reply = textReply(script, false);
  if (!run.ctx.stream) {
    await pause(script.ttftMs, run.signal);
    if (run.signal.aborted) return;
    sendBody(run.res, 200, run.wire.jsonHeaders(run.ctx), run.wire.textBody(reply, run.ctx));
    return;
  }
  openStream(run);
  if (await writeFrames(run, run.wire.textStream(reply, run.ctx), script)) run.res.end((script.trailing ?? []).map((data) => run.wire.frame(data)).join(''));
}

async function answerToolCalls(script: ToolCallsScript, run: ScriptRun): Promise<void> {
  const reply = {
    calls: script.calls,
    text: script.text,
    usage: usageOrDefault(script.usage, 10 * script.calls.length),
    argumentChunks: script.argumentChunks ?? DEFAULT_ARGUMENT_CHUNKS,
  };
  if (!run.ctx.stream) {
    await pause(script.ttftMs, run.signal);
    if (run.signal.aborted) return;
    sendBody(run.res, 200, run.wire.jsonHeaders(run.ctx), run.wire.toolCallsBody(reply, run.ctx));
    return;
  }
  openStream(run);
  if (await writeFrames(run, run.wire.toolCallsStream(reply, run.ctx), script)) run.res.end();
}

function destroy(run: ScriptRun): void {
  run.markSelfDestroyed();
  run.res.destroy();
}

/** Streams `chunks` deltas of `text`, then ends in the way `ending` says. */
async function answerCutStream(
  text: string,
  chunks: number,
  ending: 'error' | 'stall' | 'end' | 'malformed',
  run: ScriptRun,
): Promise<void> {
  if (!run.ctx.stream) {
    const body = run.wire.textBody(textReply({ text }, false), run.ctx);
    run.res.writeHead(200, run.wire.jsonHeaders(run.ctx));
    run.res.write(body.slice(0, Math.floor(body.length / 2)), () => {
      if (ending === 'error') destroy(run);
    });
    if (ending === 'end' || ending === 'malformed') run.res.end();
    return;
  }
  openStream(run);
  const frames = takeThroughDeltas(run.wire.textStream(textReply({ text }, true), run.ctx), chunks);
  if (!(await writeFrames(run, frames, {}))) return;
  if (ending === 'error') run.res.end(run.wire.inBandError(run.ctx));
  if (ending === 'end') run.res.end();
  if (ending === 'malformed') run.res.end(run.wire.frame(MALFORMED_BODY));
}

function answerResetMidBody(afterBytes: number | undefined, run: ScriptRun): void {
  const reply = textReply({ text: DEFAULT_TEXT }, false);
  const full = Buffer.from(
    run.ctx.stream
      ? run.wire.textStream(reply, run.ctx).map((frame) => frame.bytes).join('')
      : run.wire.textBody(reply, run.ctx),
  );
  if (run.ctx.stream) openStream(run);
  else run.res.writeHead(200, { ...run.wire.jsonHeaders(run.ctx), 'content-length': String(full.length) });
  const cut = Math.max(0, Math.min(afterBytes ?? Math.floor(full.length / 2), full.length - 1));
  run.res.write(full.subarray(0, cut), () => destroy(run));
}

/** Streams one delta frame forever, waiting for `drain` whenever the socket's buffer is full, until the caller leaves. */
async function answerFlood(script: FloodScript, run: ScriptRun): Promise<void> {
  openStream(run);
  const frames = run.wire.textStream(textReply({ text: ['flood '.repeat(700), 'x'] }, true), run.ctx);
  const first = frames.findIndex((frame) => frame.delta);
  const delta = frames[first]?.bytes ?? '';
  const { stats } = script;
  run.signal.addEventListener('abort', () => {
    stats.closed = true;
  });
  for (const frame of frames.slice(0, first)) run.res.write(frame.bytes);
  while (!run.signal.aborted) {
    stats.bytesWritten += delta.length;
    if (!run.res.write(delta)) await once(run.res, 'drain', { signal: run.signal }).catch(() => undefined);
  }
}

/** Answers one request as `script` describes. */
export async function runScript(script: Script, run: ScriptRun): Promise<void> {
  const { res, wire, ctx } = run;
  switch (script.kind) {
    case 'text':
      return answerText(script, run);
    case 'tool-calls':
      return answerToolCalls(script, run);
    case 'error': {
      const reply = wire.errorReply(script.status, script.body, ctx);
      sendBody(res, script.status, { ...reply.headers, ...script.headers }, reply.body);
      return;
    }
    case 'error-after-start':
      return answerCutStream(script.text, script.chunksBefore, 'error', run);
    case 'stall-after':
      return answerCutStream(script.text, script.chunks, 'stall', run);
    case 'truncated-sse':
      return answerCutStream(script.text, script.chunks, 'end', run);
    case 'malformed-after-start':
      return answerCutStream(script.text, script.chunksBefore, 'malformed', run);
    case 'hang-before-headers':
      return;
    case 'reset-mid-body':
      return answerResetMidBody(script.afterBytes, run);
    case 'malformed-json':
      if (ctx.stream) {
        openStream(run);
        res.end(wire.frame(MALFORMED_BODY));
      } else {
        sendBody(res, 200, wire.jsonHeaders(ctx), MALFORMED_BODY);
      }
      return;
    case 'wrong-content-type':
      sendBody(res, 200, { 'content-type': 'text/html; charset=utf-8' }, HTML_BODY);
      return;
    case 'flood':
      return answerFlood(script, run);
    case 'custom':
      script.handle(run.req, res, run.body);
      return;
  }
}
