import { isRecord, type CanonicalRequest, type StreamEvent, type Target } from '../../core/index.js';
import type { AnswerForwarder, SseEvent, StreamDecoder } from '../provider-adapter.js';
import { HeldAnswerFrames } from '../shared/held-answer-frames.js';
import { rewriteTopLevelStrings } from '../shared/rewrite-top-level-strings.js';
import { AnthropicStreamDecoder } from './anthropic-stream-decoder.js';
import { convertFromAnthropicResponse } from './convert-from-anthropic-response.js';

type Names = Readonly<Record<'id' | 'model', string>>;

/** A whole message with the gateway's id and the client's model: in place when both are top-level strings. */
function renamedMessage(text: string, body: object, names: Names): string {
  const rewritten = text.includes('\n') ? undefined : rewriteTopLevelStrings(text, names);
  if (rewritten !== undefined) return rewritten.rewritten + text.slice(rewritten.upstream.length);
  return JSON.stringify({ ...body, ...names });
}

/** The `type` a frame's payload names, for an upstream that sends no `event:` line (the SDKs dispatch on it). */
function payloadType(data: string): string | undefined {
  const parsed: unknown = JSON.parse(data);
  return isRecord(parsed) && typeof parsed.type === 'string' ? parsed.type : undefined;
}

/**
 * Forwards one Anthropic Messages stream: every frame goes out as it came, `message_start`'s message with the gateway's
 * id and the client's model, while the translating decoder still reads every frame for usage, finish, errors and the
 * commit point. Frames are held until the first content, so a stream that fails before it can still fail over unseen,
 * and leave once per upstream chunk as one `wire` event. An upstream error (or a stream cut before `message_stop`)
 * is not forwarded raw: it ends the stream as the gateway's error event, as on the translating path.
 */
class AnthropicStreamForwarder implements StreamDecoder {
  private readonly decoder: AnthropicStreamDecoder;
  private readonly out = new HeldAnswerFrames();

  constructor(
    providerId: string,
    private readonly names: Names,
  ) {
    this.decoder = new AnthropicStreamDecoder(providerId);
  }

  push(event: SseEvent): StreamEvent[] {
    // After a failure nothing more is read (the gateway's error ends the stream), nor after `message_stop`, which gave
    // the decoder's finish: what an upstream sends after it is dropped, as the translating path drops it.
    if (this.out.ended || !this.out.accept(this.decoder.push(event))) return [];
    const data = event.data.trim();
    if (data !== '') this.forwardFrame(event.event ?? payloadType(data), data);
    return [];
  }

  flush(): StreamEvent[] {
    return this.out.flush();
  }

  end(): StreamEvent[] {
    this.out.take(this.decoder.end());
    return this.out.flush();
  }

  private forwardFrame(name: string | undefined, data: string): void {
    let text = data;
    if (name === 'message_start') {
      const frame: unknown = JSON.parse(data);
      if (isRecord(frame) && isRecord(frame.message)) text = JSON.stringify({ ...frame, message: { ...frame.message, ...this.names } });
    }
    this.out.frames += name === undefined ? `data: ${text}\n\n` : `event: ${name}\ndata: ${text}\n\n`;
  }
}

/**
 * The forwarder for an Anthropic client on an Anthropic target: its answer, JSON or stream, reaches the client as the
 * provider wrote it (every block type and field, server tools and citations included), named as the gateway names it.
 */
export function forwardAnthropicAnswer(request: CanonicalRequest, target: Target, requestId: string): AnswerForwarder | undefined {
  if (request.passthrough?.format !== 'anthropic-messages') return undefined;
  const providerId = target.provider.id;
  const names: Names = { id: `msg_${requestId}`, model: request.model };
  return {
    forwardBody(text, body) {
      // The translating path's own reading of the answer, for the record (and its error for a malformed one).
      const { usage, finishReason } = convertFromAnthropicResponse(body, target.model);
      return [
        { type: 'wire', data: renamedMessage(text, body, names) },
        { type: 'usage', usage },
        { type: 'finish', reason: finishReason },
      ];
    },
    createStreamDecoder: () => new AnthropicStreamForwarder(providerId, names),
  };
}
