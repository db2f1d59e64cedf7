import { GatewayError } from '../../core/index.js';
import type { ProviderMetadata, StreamEvent, Target } from '../../core/index.js';
import type { SseEvent, StreamDecoder } from '../provider-adapter.js';
import { fromGeminiUsage } from '../../wire/gemini/gemini-usage.js';
import { formatIssuePath, geminiResponseSchema } from '../../wire/gemini/gemini-response-schema.js';
import { readGeminiResponse } from './read-gemini-response.js';
import type { GeminiResponsePart, GeminiUsageMetadata } from '../../wire/gemini/gemini-response-schema.js';
import { toGeminiToolCallId } from './gemini-tool-call-id.js';
import { mapGeminiError, readGeminiErrorPayload } from './map-gemini-error.js';
import { fromGeminiFinishReason, isMalformedToolCallFinish } from '../../wire/gemini/gemini-finish-reason.js';

interface OpenBlock {
  kind: 'text' | 'reasoning';
  blockId: string;
  signature?: string;
}

/** Part keys the decoder understands; any other key means output we cannot represent. */
const KNOWN_PART_KEYS = new Set(['text', 'thought', 'thoughtSignature', 'functionCall']);

/**
 * Decodes Gemini `alt=sse` events. Each event is a whole GenerateContentResponse with only the new parts and a
 * cumulative usage snapshot; there is no terminator, so usage and finish are emitted from `end()`. Non-streaming
 * bodies go through the same decoder (one payload, then `end()`), so both modes mint the same tool-call ids.
 */
export class GeminiStreamDecoder implements StreamDecoder {
  private started = false;
  private done = false;
  private responseId: string | undefined;
  private open: OpenBlock | undefined;
  private nextBlock = 0;
  private toolCount = 0;
  private finish: { raw: string; promptBlocked: boolean } | undefined;
  private usage: GeminiUsageMetadata | undefined;
  private readonly droppedKinds = new Set<string>();

  constructor(private readonly target: Target) {}

  /** Decodes one SSE event. */
  push(event: SseEvent): StreamEvent[] {
    if (this.done || event.data.trim() === '') return [];
    let payload: unknown;
    try {
      payload = JSON.parse(event.data);
    } catch (cause) {
      return this.fail(this.malformed('Gemini stream event is not valid JSON', cause));
    }
    return this.pushPayload(payload);
  }

  /** Decodes one already-parsed GenerateContentResponse (or in-band error payload). */
  pushPayload(payload: unknown): StreamEvent[] {
    if (this.done) return [];
    if (readGeminiErrorPayload(payload) !== undefined) {
      return this.fail(mapGeminiError(undefined, {}, payload, this.target.provider.id));
    }
    let chunk = readGeminiResponse(payload);
    if (chunk === undefined) {
      const parsed = geminiResponseSchema.safeParse(payload);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue === undefined ? '(root)' : formatIssuePath(issue.path);
        return this.fail(this.malformed(`Gemini response invalid at ${where}: ${issue?.message ?? 'unexpected shape'}`));
      }
      chunk = parsed.data;
    }
    const out: StreamEvent[] = [];
    if (!this.started) {
      this.started = true;
      this.responseId = chunk.responseId;
      out.push({ type: 'response-start', id: chunk.responseId, model: chunk.modelVersion ?? this.target.model });
    }
    if (chunk.usageMetadata !== undefined) this.usage = chunk.usageMetadata;
    const candidate = chunk.candidates?.[0];
    for (const part of candidate?.content?.parts ?? []) this.pushPart(part, out);
    const blockReason = chunk.promptFeedback?.blockReason;
    if (candidate?.finishReason !== undefined) {
      if (isMalformedToolCallFinish(candidate.finishReason)) {
        return [
          ...out,
          ...this.fail(this.malformed(`Gemini ended the turn with ${candidate.finishReason}; the tool call was unusable`)),
        ];
      }
      this.finish = { raw: candidate.finishReason, promptBlocked: false };
    } else if (candidate === undefined && blockReason !== undefined) {
      this.finish = { raw: blockReason, promptBlocked: true };
    }
    return out;
  }

  /** Closes the stream: usage and finish when Gemini reported a finish reason, else a truncation error. */
  end(): StreamEvent[] {
    if (this.done) return [];
    if (this.finish === undefined) {
      const what = this.started ? 'without a finishReason' : 'before any response';
      return this.fail(this.malformed(`Gemini stream ended ${what}`));
    }
    this.done = true;
    const out: StreamEvent[] = [];
    this.closeOpen(out);
    out.push({ type: 'usage', usage: fromGeminiUsage(this.usage) });
    out.push({
      type: 'finish',
      reason: this.finish.promptBlocked
        ? { unified: 'content-filter', raw: this.finish.raw }
        : fromGeminiFinishReason(this.finish.raw, this.toolCount > 0),
    });
    return out;
  }

  private pushPart(part: GeminiResponsePart, out: StreamEvent[]): void {
    if (part.functionCall !== undefined) {
      this.pushFunctionCall(part, part.functionCall, out);
      return;
    }
    if (part.text !== undefined) {
      this.pushText(part.text, part.thought === true, part.thoughtSignature, out);
      return;
    }
    const unknownKeys = Object.keys(part).filter((key) => !KNOWN_PART_KEYS.has(key));
    const kind = unknownKeys.sort().join('+');
    if (kind === '' || this.droppedKinds.has(kind)) return;
    this.droppedKinds.add(kind);
    out.push({
      type: 'warning',
      warning: { code: 'response_part_dropped', message: `Gemini response part (${kind}) has no gateway equivalent` },
    });
  }

  private pushText(text: string, thought: boolean, signature: string | undefined, out: StreamEvent[]): void {
    const kind = thought ? 'reasoning' : 'text';
    if (text === '') {
      // Gemini closes some turns with an empty part that only carries a signature; keep it only on reasoning.
      if (thought && signature !== undefined && this.open?.kind === 'reasoning') this.open.signature = signature;
      return;
    }
    if (this.open?.kind !== kind) {
      this.closeOpen(out);
      const blockId = this.newBlockId();
      this.open = { kind, blockId };
      if (kind === 'text') out.push({ type: 'text-start', blockId });
      else {
        const gemini: Record<string, unknown> = signature === undefined ? {} : { thoughtSignature: signature };
        out.push({ type: 'reasoning-start', blockId, providerMetadata: { gemini } });
      }
    }
    const { blockId } = this.open;
    if (kind === 'text') out.push({ type: 'text-delta', blockId, text });
    else {
      out.push({ type: 'reasoning-delta', blockId, text });
      if (signature !== undefined) this.open.signature = signature;
    }
  }

  private pushFunctionCall(
    part: GeminiResponsePart,
    call: NonNullable<GeminiResponsePart['functionCall']>,
    out: StreamEvent[],
  ): void {
    this.closeOpen(out);
    const argumentsJson = JSON.stringify(call.args ?? {});
    const toolIndex = this.toolCount++;
    const callId = toGeminiToolCallId({
      partId: call.id,
      responseId: this.responseId,
      name: call.name,
      index: toolIndex,
      argumentsJson,
    });
    const gemini: Record<string, unknown> = {};
    if (part.thoughtSignature !== undefined) gemini.thoughtSignature = part.thoughtSignature;
    if (call.id !== undefined) gemini.id = call.id;
    const providerMetadata: ProviderMetadata | undefined = Object.keys(gemini).length > 0 ? { gemini } : undefined;
    const blockId = this.newBlockId();
    out.push(
      { type: 'tool-input-start', blockId, toolIndex, callId, name: call.name, ...(providerMetadata && { providerMetadata }) },
      { type: 'tool-input-delta', blockId, argumentsDelta: argumentsJson },
      { type: 'tool-input-end', blockId },
    );
  }

  private closeOpen(out: StreamEvent[]): void {
    const open = this.open;
    if (open === undefined) return;
    this.open = undefined;
    if (open.kind === 'text') out.push({ type: 'text-end', blockId: open.blockId });
    else out.push({ type: 'reasoning-end', blockId: open.blockId, ...(open.signature !== undefined && { signature: open.signature }) });
  }

  private newBlockId(): string {
    return String(this.nextBlock++);
  }

  private malformed(message: string, cause?: unknown): GatewayError {
    return new GatewayError('upstream_malformed_response', message, { provider: this.target.provider.id, cause });
  }

  private fail(error: GatewayError): StreamEvent[] {
    this.done = true;
    return [{ type: 'error', error }];
  }
}

/** Creates a per-stream Gemini decoder. */
export function createGeminiStreamDecoder(target: Target): GeminiStreamDecoder {
  return new GeminiStreamDecoder(target);
}
