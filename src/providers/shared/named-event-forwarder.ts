import { isRecord, type StreamEvent } from '../../core/index.js';
import type { SseEvent, StreamDecoder } from '../provider-adapter.js';
import { HeldAnswerFrames } from './held-answer-frames.js';
import { rewriteTopLevelStrings } from './rewrite-top-level-strings.js';

/** The gateway's id and the client's model, which a forwarded answer carries instead of the upstream's. */
export type AnswerNames = Readonly<Record<'id' | 'model', string>>;

/** A whole answer with the gateway's names: in place when both lead its text as top-level strings, else re-serialised. */
export function renamedAnswer(text: string, body: object, names: AnswerNames): string {
  const rewritten = text.includes('\n') ? undefined : rewriteTopLevelStrings(text, names);
  if (rewritten !== undefined) return rewritten.rewritten + text.slice(rewritten.upstream.length);
  return JSON.stringify({ ...body, ...names });
}

/** One upstream event about to be forwarded: its name (the `event:` line, else its payload's `type`) and its data. */
export class ForwardedFrame {
  readonly name: string | undefined;
  private parsed: unknown;
  private read = false;

  constructor(
    name: string | undefined,
    readonly data: string,
  ) {
    this.name = name ?? payloadType(this.payload());
  }

  /** The data parsed, once, when a caller needs it. */
  payload(): unknown {
    if (!this.read) {
      this.parsed = JSON.parse(this.data);
      this.read = true;
    }
    return this.parsed;
  }
}

/** What a format adds to forwarding its named events. */
export interface NamedEventRules {
  /** The data to send for a frame: the frame's own, or with the gateway's names put in where the format keeps them. */
  text(frame: ForwardedFrame): string;
  /** Whether a frame is the answer's output although the decoder gives no content event for it. */
  isOutput?(frame: ForwardedFrame): boolean;
}

/**
 * Forwards one stream of named events (Anthropic Messages, the Responses API) as the upstream sent it, while the
 * translating decoder still reads every event for usage, finish, errors and the commit point. Events are held until the
 * first output, so a stream that fails before it can still fail over unseen, and leave once per upstream chunk as one
 * `wire` event. An upstream error (or a stream cut short) is not forwarded raw: it ends the stream as the gateway's
 * error event, as on the translating path; what an upstream sends after its finish is dropped, as that path drops it.
 */
export class NamedEventForwarder implements StreamDecoder {
  private readonly out = new HeldAnswerFrames();

  constructor(
    private readonly decoder: StreamDecoder,
    private readonly rules: NamedEventRules,
  ) {}

  push(event: SseEvent): StreamEvent[] {
    if (this.out.ended || !this.out.accept(this.decoder.push(event))) return [];
    const data = event.data.trim();
    if (data === '' || data === '[DONE]') return [];
    const frame = new ForwardedFrame(event.event, data);
    if (this.rules.isOutput?.(frame) === true) this.out.noteContent();
    const text = this.rules.text(frame);
    this.out.frames += frame.name === undefined ? `data: ${text}\n\n` : `event: ${frame.name}\ndata: ${text}\n\n`;
    return [];
  }

  flush(): StreamEvent[] {
    return this.out.flush();
  }

  end(): StreamEvent[] {
    this.out.take(this.decoder.end());
    return this.out.flush();
  }
}

/** The `type` a payload names, for an upstream that sends no `event:` line (the SDKs dispatch on it). */
function payloadType(parsed: unknown): string | undefined {
  return isRecord(parsed) && typeof parsed.type === 'string' ? parsed.type : undefined;
}
