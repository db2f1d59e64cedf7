import type { FinishReason, ProviderMetadata, StreamEvent, Usage } from '../../core/index.js';
import type { RenderContext, StreamEncoder } from '../dialect.js';
import { toGeminiFinishReason } from '../../wire/gemini/gemini-finish-reason.js';
import { geminiErrorBody } from './render-gemini-error.js';
import type { GeminiCandidate, GeminiResponse, GeminiResponsePart } from '../../wire/gemini/gemini-response-schema.js';
import { functionCallPart, thoughtSignatureOf } from './render-gemini-response.js';
import { toGeminiUsageMetadata } from '../../wire/gemini/gemini-usage.js';

interface PendingCall {
  callId: string;
  name: string;
  args: string;
  metadata: ProviderMetadata | undefined;
}

interface ReasoningBlock {
  signature: string | undefined;
  redacted: boolean;
}

/** Google frames `alt=sse` events with CRLF; js-genai splits on `\n\n`, `\r\r` or `\r\n\r\n`. */
function frame(payload: unknown): string {
  return `data: ${JSON.stringify(payload)}\r\n\r\n`;
}

/**
 * Encodes canonical stream events as Gemini `alt=sse` events: each a GenerateContentResponse with only the new parts.
 * Function calls are emitted whole when their arguments are complete. The last event carries `finishReason` and
 * `usageMetadata` (sent once both are known, or at `end()`), and a `{text:""}` part, because js-genai chat sessions
 * drop a turn from history when any event lacks content. There is no terminator.
 */
export class GeminiStreamEncoder implements StreamEncoder {
  private failed = false;
  private ended = false;
  private finalSent = false;
  private usage: Usage | undefined;
  private finish: FinishReason | undefined;
  private readonly calls = new Map<string, PendingCall>();
  private readonly reasoning = new Map<string, ReasoningBlock>();

  constructor(private readonly context: RenderContext) {}

  /** Encodes one event; '' when it adds no parts or the stream already failed or ended. */
  encode(event: StreamEvent): string {
    if (this.failed || this.ended) return '';
    switch (event.type) {
      case 'text-delta':
        return event.text === '' ? '' : this.parts([{ text: event.text }]);
      case 'reasoning-start':
        this.reasoning.set(event.blockId, {
          signature: thoughtSignatureOf(event.providerMetadata),
          redacted: event.redactedData !== undefined,
        });
        return '';
      case 'reasoning-delta':
        return event.text === '' ? '' : this.thought(event.blockId, event.text);
      case 'reasoning-end': {
        const signed = this.reasoning.get(event.blockId)?.signature !== undefined;
        const out = signed ? this.thought(event.blockId, '') : '';
        this.reasoning.delete(event.blockId);
        return out;
      }
      case 'tool-input-start': {
        const { blockId, callId, name, providerMetadata } = event;
        this.calls.set(blockId, { callId, name, args: '', metadata: providerMetadata });
        return '';
      }
      case 'tool-input-delta': {
        const call = this.calls.get(event.blockId);
        if (call) call.args += event.argumentsDelta;
        return '';
      }
      case 'tool-input-end':
        return this.flushCall(event.blockId);
      case 'usage':
        this.usage = event.usage;
        return this.finish !== undefined ? this.final() : '';
      case 'finish':
        this.finish = event.reason;
        return this.flushCalls() + (this.usage !== undefined ? this.final() : '');
      case 'error':
        this.failed = true;
        return frame(geminiErrorBody(event.error));
      default:
        return '';
    }
  }

  /** Sends unfinished function calls and the final event if still pending; '' after an error. */
  end(): string {
    if (this.failed || this.ended) return '';
    const out = this.flushCalls() + this.final();
    this.ended = true;
    return out;
  }

  private response(parts: GeminiResponsePart[], finishReason?: string, usage?: Usage): GeminiResponse {
    const candidate: GeminiCandidate = { content: { parts, role: 'model' }, index: 0 };
    if (finishReason !== undefined) candidate.finishReason = finishReason;
    const { model, requestId } = this.context;
    const response: GeminiResponse = { candidates: [candidate], modelVersion: model, responseId: requestId };
    if (usage !== undefined) response.usageMetadata = toGeminiUsageMetadata(usage);
    return response;
  }

  private parts(parts: GeminiResponsePart[]): string {
    return frame(this.response(parts));
  }

  /** A thought part; the block's signature rides on its first part, or on an empty part at the block's end. */
  private thought(blockId: string, text: string): string {
    const block = this.reasoning.get(blockId);
    if (block?.redacted) return '';
    const part: GeminiResponsePart = { text, thought: true };
    if (block?.signature !== undefined) {
      part.thoughtSignature = block.signature;
      block.signature = undefined;
    }
    return this.parts([part]);
  }

  private flushCall(blockId: string): string {
    const call = this.calls.get(blockId);
    if (!call) return '';
    this.calls.delete(blockId);
    return this.parts([functionCallPart(call.callId, call.name, call.args, call.metadata)]);
  }

  private flushCalls(): string {
    let out = '';
    for (const blockId of [...this.calls.keys()]) out += this.flushCall(blockId);
    return out;
  }

  private final(): string {
    if (this.finalSent) return '';
    this.finalSent = true;
    return frame(this.response([{ text: '' }], toGeminiFinishReason(this.finish ?? { unified: 'other' }), this.usage ?? {}));
  }
}
